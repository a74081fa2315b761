/**
 * Real child processes in tests: pids of processes that have exited or still run (what a writer
 * record or lock row names), catching a child at one point of its work, and a reaper that kills
 * whatever a test left running, so no process outlives its test or holds a file the next one uses.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

/** Tracks the children of a test file; the ones still running are killed after each test. */
export interface ChildReaper {
  /** Tracks `child` (to be killed after the test if it still runs) and returns it. */
  track<C extends ChildProcess>(child: C): C;
}

/**
 * A reaper whose afterEach kills (SIGKILL) and awaits every tracked child still running, so a
 * test that fails or leaves a frozen child behind does not leak it. Call once at a file's top level.
 */
export function reapChildrenAfterEach(): ChildReaper {
  const children = new Set<ChildProcess>();
  afterEach(async () => {
    const left = [...children];
    children.clear();
    await Promise.all(left.map(killChild));
  });
  return { track: (child) => (children.add(child), child) };
}

/** Kills `child` (SIGKILL, which also ends a frozen one) and resolves once it has exited; at once if it has ended already. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** The pid of a process that has exited: what a record left by a killed process names. */
export function exitedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * The first output `child` writes to stdout (its "ready" line), so a test goes on only once the
 * child has done its set-up. Rejects, naming `name`, if the child exits first instead of hanging.
 */
export function firstOutput(child: ChildProcess, name: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** The pid of a process that runs until the test ends (tracked by `reaper`): what a live writer's record names. */
export async function runningProcess(reaper: ChildReaper): Promise<number> {
  const child = reaper.track(spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] }));
  await firstOutput(child, 'the running process');
  return child.pid!;
}

/**
 * Polls `reached` every millisecond while `child` runs and sends the child `signal` the moment it
 * returns a value (neither undefined nor false), which it resolves to: catches a real process at
 * one point of its work (its partial copy appeared, say). Rejects with what the child wrote if it
 * ends first, so a run too fast to catch says so.
 */
export function signalWhen<T>(child: ChildProcess, signal: NodeJS.Signals, reached: () => T | undefined | false): Promise<T> {
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise<T>((resolve, reject) => {
    const poll = setInterval(() => {
      const value = reached();
      if (value === undefined || value === false) return;
      child.kill(signal);
      clearInterval(poll);
      resolve(value);
    }, 1);
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`the child ended (${code}) before the test could send it ${signal}: ${output}`));
    });
  });
}
