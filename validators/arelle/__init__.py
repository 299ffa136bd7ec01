"""Arelle, at arm's length: the worker processes it runs in and what runs inside them.

In the engine's process (imports nothing of Arelle):

- `pool.py`: `WorkerPool`, warm worker processes with their limits; `EngineError` when a job
  killed its worker (ENGINE-MEMORY, ENGINE-TIMEOUT, ENGINE-CRASH);
- `results.py`: `ArelleResult`, what `WorkerPool.run` returns, built from the worker's plain answer.

Inside a worker process (`python -m validators.arelle.worker`), one filing at a time:

- `worker.py`: the process's main loop: configuration, warm-up, the guard, jobs and answers;
- `guard.py`: the audit hook that refuses every file, connection and process a validation
  does not need;
- `runner.py`: one Arelle run, and the state a worker keeps from one filing to the next;
- `extract.py`: what a loaded model holds, as the plain data the worker answers with;
- `warm_dts.py`: the taxonomy parsed once per process, each filing swapped in and out;
- `messages.py`: plain Dutch and English for Arelle's own message codes.
"""
