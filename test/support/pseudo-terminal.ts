/**
 * A command run on a pseudo-terminal, as a user at a terminal runs it: `script` (util-linux, in
 * Debian's essential bsdutils) gives it one, and `keys` are typed once its confirmation prompt
 * (`[y/N]`) shows. For the prompts of destructive commands, which need a terminal to ask on.
 */
import { spawn } from 'node:child_process';

/** Runs the shell `command` (through /bin/sh) with `env` on a pseudo-terminal, types `keys` at the prompt; resolves to its exit code and what the terminal showed. */
export function atPrompt(command: string, keys: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; screen: string }> {
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, SHELL: '/bin/sh', ...env } });
  let screen = '';
  let typed = false;
  child.stdout.on('data', (d: Buffer) => {
    screen += d.toString();
    if (!typed && screen.includes('[y/N]')) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, screen })));
}
