/**
 * How many codes of a coupon pool were handed out, by every journey: the next grant takes the code
 * at this index (codes are numbered in import order from 0). A grant spends it with a limit of the
 * index it read + 1, so the store's guard passes only when nobody took that code meanwhile (see the
 * applier's merge of a batch's spends): each code is handed out once, across workers.
 */
export const poolKey = (pool: string): string => `coupon_pool/${pool}`;
