/**
 * The engine's side of a redemption: POST /v1/wallet/redeem on the sidecar, its answer sorted into
 * what the API can do about it. The one distinction that matters for exactly-once: a request the
 * engine never received (the connection was refused) spent nothing, while one that timed out or
 * failed after it was sent may have spent, so only a retry with the same key can say.
 */
import { Redeemed, RedeemRefused, type RedeemRequest } from "@lifeloop/shared";
import type { EngineConnection } from "../context.ts";

/** How long a spend waits for the engine unless the engine config says otherwise. */
export const ENGINE_TIMEOUT_MS = 10_000;

export type EngineSpend =
  | { kind: "spent"; at: string; balance: number; replayed: boolean }
  | { kind: "short"; balance: number; message: string }
  | { kind: "key_reused"; message: string }
  /** Nothing was spent: the engine was not reached (down), or refused the request as malformed or unauthorised. */
  | { kind: "not_spent"; down: boolean; reason: string }
  /** The engine may or may not have spent: the same key again decides. */
  | { kind: "unknown"; reason: string };

const causeOf = (e: unknown): string | undefined => (e as { cause?: { code?: string } }).cause?.code;

export async function spendOnEngine(engine: EngineConnection, body: RedeemRequest): Promise<EngineSpend> {
  let res: Response;
  try {
    res = await fetch(`${engine.url}/v1/wallet/redeem`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(engine.token ? { authorization: `Bearer ${engine.token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(engine.timeoutMs ?? ENGINE_TIMEOUT_MS),
    });
  } catch (e) {
    const code = causeOf(e);
    // Refused or not resolvable: the request never left. Anything else (a timeout, a reset) may have.
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN")
      return { kind: "not_spent", down: true, reason: code };
    return { kind: "unknown", reason: code ?? (e as Error).message };
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    json = undefined;
  }
  if (res.status === 200) {
    const ok = Redeemed.safeParse(json);
    if (ok.success) return { kind: "spent", at: ok.data.at, balance: ok.data.balance, replayed: ok.data.replayed };
    return { kind: "unknown", reason: "the engine's 200 was not a redeem answer" };
  }
  if (res.status === 409) {
    const refused = RedeemRefused.safeParse(json);
    if (refused.success) return { kind: "short", balance: refused.data.balance, message: refused.data.error.message };
  }
  if (res.status === 422) return { kind: "key_reused", message: text.slice(0, 300) };
  // 400, 401 or 5xx: the engine said no without spending only on 400/401; 5xx may have half-happened
  // (it rolls back, but the answer does not say so), so it is treated as unknown.
  if (res.status === 400 || res.status === 401)
    return { kind: "not_spent", down: false, reason: `the engine answered ${res.status}: ${text.slice(0, 200)}` };
  return { kind: "unknown", reason: `the engine answered ${res.status}` };
}
