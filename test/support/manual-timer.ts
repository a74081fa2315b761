/**
 * A hand-driven timer for throttles and schedulers: time moves only when the test calls
 * `advance`, and due callbacks run in time order.
 */
export class ManualTimer {
  private t = 0;
  private nextId = 1;
  private readonly tasks = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.tasks.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  /** Moves time forward by `ms`, running every callback that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let nextId: number | null = null;
      let nextAt = Infinity;
      for (const [id, task] of this.tasks) if (task.at <= end && task.at < nextAt) (nextAt = task.at), (nextId = id);
      if (nextId === null) break;
      const task = this.tasks.get(nextId)!;
      this.tasks.delete(nextId);
      this.t = Math.max(this.t, task.at);
      task.fn();
    }
    this.t = end;
  }

  get pendingTasks(): number {
    return this.tasks.size;
  }
}
