/**
 * How a page of who-read / who-did-not-read (get_group_msg_receipt_detail, spec §6.13) is found,
 * chosen per request from the message's counters, the same way on every store. Pages are in
 * membership order; the two ways cost:
 * - `scan`: walk the audience in membership order from the cursor, checking each member's one range
 *   that could hold the seq, until the page is full: about `page × audience / matches` members
 *   when the matches are spread evenly, so cheap when they are dense;
 * - `stab`: list every member whose read range (or unread stretch) contains the seq through the
 *   interval index (interval-nodes.ts), then sort: `log n + matches`, so cheap when they are few.
 * Taking `stab` exactly when `matches² ≤ page × audience` bounds a page by about √(page × audience)
 * rows visited, and by `page + log n` at both ends (one reader, all but one).
 */
export type DetailPlan = 'scan' | 'stab'

export function detailPlan(q: { matches: number; audience: number; limit: number }): DetailPlan {
  return q.matches * q.matches <= (q.limit + 1) * q.audience ? 'stab' : 'scan'
}
