"""A Spark standalone cluster on this machine's loopback, from the pip package's own Spark.

pyspark's wheel carries Spark's jars and ``bin/spark-class``, so a master and workers can
be started without a Spark download: ``SPARK_HOME`` is the ``pyspark`` package directory.
Everything binds to 127.0.0.1 on free ports; the master's REST submission server is off.
The CI test of the Spark engine (``tests/cohort/test_spark_cluster.py``) and the cluster
benchmark (``tools/bench_spark_cluster.py``) use it; by hand::

    .venv/bin/python tools/spark_standalone.py --workers 2   # prints the master URL; Ctrl-C stops

Each daemon is its own process group, stopped by its process id when the cluster closes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Cluster", "spark_home", "standalone"]


def spark_home() -> Path:
    """The pyspark package directory: Spark's jars and ``bin/spark-class`` are in it."""
    import pyspark

    return Path(pyspark.__file__).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A running master and its workers."""

    master_url: str
    ui_url: str
    directory: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def alive_workers(self) -> int:
        try:
            with urllib.request.urlopen(f"{self.ui_url}/json/", timeout=5) as answer:
                state = json.load(answer)
        except (OSError, ValueError):
            return 0
        return int(state.get("aliveworkers", 0))

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.directory.glob("*.log"))
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _daemon(
    home: Path, directory: Path, name: str, args: list[str], env: dict[str, str]
) -> subprocess.Popen[bytes]:
    with open(directory / f"{name}.log", "wb") as log:  # the daemon keeps its own copy
        return subprocess.Popen(
            [str(home / "bin" / "spark-class"), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


@contextlib.contextmanager
def standalone(
    workers: int = 1, cores: int = 1, memory: str = "1g", timeout: float = 120.0
) -> Iterator[Cluster]:
    """A master and ``workers`` workers of ``cores`` cores each, registered and ready."""
    home = spark_home()
    directory = Path(tempfile.mkdtemp(prefix="nelm-spark-standalone."))
    conf = directory / "spark-defaults.conf"
    conf.write_text(
        "spark.master.rest.enabled false\nspark.worker.cleanup.enabled false\n", encoding="utf-8"
    )
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(directory),
        "SPARK_WORKER_DIR": str(directory / "work"),
    }
    port, ui = _free_port(), _free_port()
    cluster = Cluster(f"spark://127.0.0.1:{port}", f"http://127.0.0.1:{ui}", directory)
    try:
        cluster.processes.append(
            _daemon(
                home,
                directory,
                "master",
                [
                    "org.apache.spark.deploy.master.Master",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--webui-port",
                    str(ui),
                    "--properties-file",
                    str(conf),
                ],
                env,
            )
        )
        for number in range(1, workers + 1):
            cluster.processes.append(
                _daemon(
                    home,
                    directory,
                    f"worker{number}",
                    [
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        str(cores),
                        "--memory",
                        memory,
                        "--webui-port",
                        str(_free_port()),
                        "--work-dir",
                        str(directory / f"work{number}"),
                        "--properties-file",
                        str(conf),
                        cluster.master_url,
                    ],
                    env,
                )
            )
        deadline = time.monotonic() + timeout
        while cluster.alive_workers() < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in cluster.processes):
                raise RuntimeError(f"the standalone cluster did not start:\n{cluster.logs()}")
            time.sleep(0.5)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores", type=int, default=1)
    parser.add_argument("--memory", default="1g")
    args = parser.parse_args()
    with standalone(args.workers, args.cores, args.memory) as cluster:
        print(
            f"master {cluster.master_url}  (web UI {cluster.ui_url}; logs in "
            f"{cluster.directory}); Ctrl-C stops it",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
