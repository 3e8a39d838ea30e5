#!/usr/bin/env node
// Makes a fresh machine with only Node and npm ready: pnpm 10 on the PATH, dependencies installed.
// Runs before `npm start` and `npm test`; a second run costs about a second.
import { execSync, spawnSync } from "node:child_process";

const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  console.error(`Lifeloop needs Node.js 20 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

function pnpmVersion() {
  try {
    return execSync("pnpm --version", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

let version = pnpmVersion();
if (!version?.startsWith("10.")) {
  console.log(`[bootstrap] installing pnpm 10 with npm (found: ${version ?? "none"})`);
  // corepack's signature check fails on some machines; npm's global install works everywhere here.
  const r = spawnSync("npm", ["install", "--global", "pnpm@10"], { stdio: "inherit" });
  version = pnpmVersion();
  if (r.status !== 0 || !version) {
    console.error("[bootstrap] could not install pnpm 10; install it with `npm install --global pnpm@10` and retry.");
    process.exit(1);
  }
}

const install = spawnSync("pnpm", ["install", "--frozen-lockfile", "--prefer-offline", "--reporter=append-only"], {
  stdio: ["ignore", process.env.CI ? "inherit" : "ignore", "inherit"],
});
if (install.status !== 0) {
  console.error("[bootstrap] `pnpm install` failed; see the messages above.");
  process.exit(install.status ?? 1);
}
