/**
 * Child process of test/cli/read-only-readers.test.ts: runs each CLI command given (a JSON list
 * of argument lists in argv[2]) in process, one after the other, and prints their exit codes and
 * output as JSON. When the test runs as root, it starts this without the capabilities that
 * override file modes, because file modes bind SQLite only then (SPEC.md m.18: tests run as root).
 */
import { main } from '../../cli/main';
import { memoryIO } from '../support/memory-io';

const commands = JSON.parse(process.argv[2] ?? '[]') as string[][];
const results = [];
for (const args of commands) {
  const io = memoryIO({ ...process.env }, process.cwd());
  const code = await main(args, { io });
  results.push({ code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') });
}
process.stdout.write(JSON.stringify(results));
