import { execFileSync, spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp directory with the
 * distribution's binaries (Debian: /usr/lib/postgresql/<version>/bin), started on a free loopback
 * port, stopped and deleted after. As root, the server runs as the `postgres` user (PostgreSQL
 * refuses to run as root).
 */
export interface TestServer {
  url: string;
  stop(): void;
  /**
   * `pg_ctl restart -m MODE -w`, asynchronously (the caller's event loop keeps running, so its
   * clients see the outage as it happens). Resolves once the server accepts connections again.
   * Only for a server a test started for itself: never the shared one other test files are using.
   */
  restart(mode: "fast" | "immediate"): Promise<void>;
  /** `pg_ctl stop -m MODE -w` (asynchronously): the server stays down until start(). */
  halt(mode: "fast" | "immediate"): Promise<void>;
  /** Starts a halted server again with the same settings; resolves once it accepts connections. */
  start(): Promise<void>;
}

export interface ServerOptions {
  /** Skip fsync (tests: the server itself never crashes, only engine processes do). Benchmarks keep it. */
  fast?: boolean;
  /**
   * With `fast`, still make every COMMIT wait for its WAL to be written (synchronous_commit on).
   * Needed by a test that stops the server with `-m immediate`: with synchronous_commit off a
   * COMMIT that was answered can vanish with the server's WAL buffers — the engine would have
   * acknowledged events the database then forgets. (fsync off stays safe: the written WAL is in
   * the operating system's cache, and the machine does not crash.)
   */
  synchronousCommit?: boolean;
}

/** The newest installed server binaries (or LIFELOOP_PG_BIN), or a clear reason why there are none. */
export function findBinaries(): string {
  const given = process.env.LIFELOOP_PG_BIN;
  if (given) {
    if (!existsSync(join(given, "initdb"))) throw new Error(`LIFELOOP_PG_BIN=${given} has no initdb`);
    return given;
  }
  const candidates: string[] = [];
  if (existsSync("/usr/lib/postgresql")) {
    for (const v of readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a)))
      candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  try {
    candidates.push(
      execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
    );
  } catch {
    // No pg_config on the PATH: the Debian location above is the only place left to look.
  }
  const bin = candidates.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl")));
  if (!bin)
    throw new Error(
      "no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and `pg_config --bindir`); " +
        "install Debian's `postgresql` package or set LIFELOOP_TEST_DATABASE_URL",
    );
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const bin = findBinaries();
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const asRoot = process.getuid?.() === 0;
  const run: SpawnSyncOptions = {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
    env: { ...process.env, LC_ALL: "C" },
  };
  const user = asRoot ? postgresUser() : null;
  if (user) {
    chownSync(dir, user.uid, user.gid);
    Object.assign(run, user);
  }
  const must = (cmd: string, args: string[]) => {
    const r = spawnSync(join(bin, cmd), args, run);
    if (r.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `${cmd} ${args.join(" ")} failed ` +
          `(${r.error?.message ?? `exit ${r.status}`}): ${String(r.stderr).slice(-2000)} ${serverLog}`,
      );
    }
  };
  must("initdb", ["-D", data, "-U", "lifeloop", "--auth=trust", "--locale=C", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c shared_buffers=128MB",
    ...(options.fast
      ? ["-c fsync=off", "-c full_page_writes=off", ...(options.synchronousCommit ? [] : ["-c synchronous_commit=off"])]
      : []),
  ];
  must("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "30", "-o", settings.join(" "), "start"]);
  let stopped = false;
  // Asynchronous pg_ctl, as the same user as above (postgres when running as root).
  const pgCtl = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(join(bin, "pg_ctl"), ["-D", data, "-l", log, "-w", "-t", "30", ...args], {
        stdio: ["ignore", "pipe", "pipe"],
        env: run.env,
        ...(user ?? {}),
      });
      let err = "";
      p.stderr.on("data", (d: Buffer) => (err += d.toString()));
      p.once("error", reject);
      p.once("exit", (code) =>
        code === 0
          ? resolve()
          : reject(
              new Error(
                `pg_ctl ${args.join(" ")} failed ` +
                  `(exit ${code}): ${err.slice(-1000)}` +
                  ` ${existsSync(log) ? readFileSync(log, "utf8").slice(-1000) : ""}`,
              ),
            ),
      );
    });
  return {
    url: `postgres://lifeloop@127.0.0.1:${port}/postgres`,
    // restart reuses the first start's settings (pg_ctl keeps them in postmaster.opts); a start
    // after halt is given them again.
    restart: (mode) => pgCtl(["-m", mode, "restart"]),
    halt: (mode) => pgCtl(["-m", mode, "stop"]),
    start: () => pgCtl(["-o", settings.join(" "), "start"]),
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], run);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh, empty database on the server at `url` (each test file gets its own), and a way to drop it. */
export async function createDatabase(url: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
