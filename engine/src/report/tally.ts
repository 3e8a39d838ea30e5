/**
 * Counts of the same key added up in memory and written once: the fact tables' counters
 * (`n = n + 1` per node and day, per refusal reason, per budget) are commutative inside one
 * transaction, so a batch that counts the same row 300 times can write it once with `n + 300`.
 * In a projector batch a row's counts arrive ~7 per event, most on a few dozen rows.
 */
export class Tally<Args extends readonly (string | number)[]> {
  private readonly rows = new Map<string, { args: Args; n: number; amount: number }>();

  /** One more on the row `args` names (and `amount` more, for sums). */
  add(args: Args, amount = 0): void {
    // NUL cannot occur in ids, names or numbers, so joined keys of different rows never collide.
    const key = args.join("\u0000");
    const row = this.rows.get(key);
    if (row) {
      row.n++;
      row.amount += amount;
    } else this.rows.set(key, { args, n: 1, amount });
  }

  /** Each row once, with how many times it was added and the sum of its amounts; then empty. */
  drain(write: (args: Args, n: number, amount: number) => void): void {
    for (const { args, n, amount } of this.rows.values()) write(args, n, amount);
    this.rows.clear();
  }
}
