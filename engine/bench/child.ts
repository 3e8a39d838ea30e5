/**
 * Servers the benches run in child processes (the engine sidecar, a hello-world baseline): started
 * with `node --import tsx FILE ARGS` from the engine folder, with no LIFELOOP_ or DATABASE_URL
 * setting leaking in from the shell, and resolved once they print "listening on URL". Every child
 * is killed when the bench exits, however it exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ENGINE_DIR = fileURLToPath(new URL("..", import.meta.url));

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

export interface Server {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
  stop(): Promise<void>;
}

export function startServer(file: string, args: string[], name = file): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("LIFELOOP_")) delete env[k];
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ["--import", "tsx", file, ...args], {
    cwd: ENGINE_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  let out = "";
  let err = "";
  proc.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s: ${err}`)), 30_000);
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          proc,
          url: m[1]!,
          stderr: () => err,
          stop: async () => {
            proc.kill("SIGTERM");
            const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
            await exited;
            clearTimeout(t);
          },
        });
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening: ${err}`));
    });
  });
}
