/**
 * C2CStore on PostgreSQL, for several instances writing at once. Counters change by `x = x + d`
 * only; a message and the counters it moves are written by one statement (data-modifying CTEs),
 * so each call is one or two round trips. markRead locks the reader's conversation row before it
 * recounts, and every writer of that row waits on the lock and then re-checks `read_time` on the
 * newest version (READ COMMITTED), so no increment is lost or counted twice.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { MsgKey } from '../../domain/c2c/msg-key.js'
import type { NewMessage } from '../../domain/c2c/rules.js'
import type {
  AddOutcome,
  C2CStore,
  HistoryPage,
  HistoryQuery,
  ReadOutcome,
  SendOutcome,
  UnreadCounts,
  WithdrawOutcome,
} from '../c2c.js'
import type { Queryable } from './pg-store.js'
import { messageColumns, pair, toMessage, type MessageRow } from '../rows/c2c-rows.js'
import { ADVISORY_KEY } from './pg-locks.js'

/** The recipient's total, as changed by this statement's `tot` CTE or as it stands. */
const TOTAL_AFTER = `coalesce((SELECT unread FROM tot),
  (SELECT unread FROM c2c_unread_totals WHERE app_id = $1 AND user_id = $2), 0) AS total`

/**
 * The insert of a message and the counters it moves, as CTEs `ins`, `conv` and `tot` of one
 * statement, the message inserted only where `guard` holds. $1 app, $2 recipient, $3 sender,
 * $4 $5 the pair, $6..$16 the message's columns (`messageParams`).
 */
const ADD_MESSAGE = (guard: string) => `ins AS (
    INSERT INTO c2c_messages (app_id, user_lo, user_hi, from_id, to_id, msg_seq, msg_random, msg_time,
      msg_key, body, cloud_custom_data, need_receipt, counted, sender_sees, uncounted, recipient_sees)
    SELECT $1, $4, $5, $3, $2, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 WHERE ${guard}
    ON CONFLICT (app_id, user_lo, user_hi, msg_key) DO NOTHING RETURNING counted),
  conv AS (
    INSERT INTO c2c_conversations AS c (app_id, owner_id, peer_id, unread)
    SELECT $1, $2, $3, 1 FROM ins WHERE ins.counted AND $8 > 0
    ON CONFLICT (app_id, owner_id, peer_id) DO UPDATE SET unread = c.unread + 1 WHERE c.read_time < $8
    RETURNING 1),
  tot AS (
    INSERT INTO c2c_unread_totals AS t (app_id, user_id, unread) SELECT $1, $2, 1 FROM conv
    ON CONFLICT (app_id, user_id) DO UPDATE SET unread = t.unread + 1 RETURNING unread)`

export class PgC2C implements C2CStore {
  readonly #db: Queryable
  readonly #app: number

  constructor(db: Queryable, sdkAppId: number) {
    this.#db = db
    this.#app = sdkAppId
  }

  async addMessage(m: NewMessage): Promise<AddOutcome> {
    // A new conversation has read time 0, so a message after 0 starts it at one unread; an existing
    // one counts it only while its (newest) read time is before the message.
    const { rows } = await this.#db.query<{ added: boolean; total: number }>(
      `WITH ${ADD_MESSAGE('true')} SELECT EXISTS (SELECT 1 FROM ins) AS added, ${TOTAL_AFTER}`,
      this.#messageParams(m),
    )
    const r = rows[0]!
    return r.added ? { added: true, recipientUnreadTotal: r.total } : { added: false }
  }

  async send(m: NewMessage, recentOwners: readonly UserId[]): Promise<SendOutcome> {
    // One statement: receiptd_c2c_send (migration 0014) locks the conversation as lockConversations
    // does, then checks and writes on snapshots taken after the lock.
    const { rows } = await this.#db.query<{
      o_status: string
      o_first: MsgKey | null
      o_total: number | null
    }>(
      `SELECT o_status, o_first, o_total FROM receiptd_c2c_send(
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::text[])`,
      [...this.#messageParams(m), [...recentOwners]],
    )
    const r = rows[0]!
    switch (r.o_status) {
      case 'unknown-sender':
      case 'unknown-recipient':
        return { sent: r.o_status }
      case 'same-second':
        return { sent: 'same-second', msgKey: r.o_first! }
      case 'added':
        return { added: true, recipientUnreadTotal: r.o_total ?? 0 }
      default:
        return { added: false }
    }
  }

  #messageParams(m: NewMessage): unknown[] {
    const [lo, hi] = pair(m.from, m.to)
    return [this.#app, m.to, m.from, lo, hi, ...messageColumns(m)]
  }

  async findSameSecond(
    from: UserId,
    to: UserId,
    msgRandom: number,
    msgTime: number,
  ): Promise<MsgKey | undefined> {
    const [lo, hi] = pair(from, to)
    const { rows } = await this.#db.query<{ msg_key: MsgKey }>(
      `SELECT msg_key FROM c2c_messages WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND msg_time = $4
         AND msg_random = $5 AND from_id = $6 AND to_id = $7 LIMIT 1`,
      [this.#app, lo, hi, msgTime, msgRandom, from, to],
    )
    return rows[0]?.msg_key
  }

  async lockConversations(user: UserId, peers: readonly UserId[]): Promise<void> {
    // One order for every caller, so two batch sends over the same conversations cannot deadlock.
    const keys = [...new Set(peers)].map((p) => pair(user, p).join('\u0001')).sort()
    for (const key of keys) {
      await this.#db.query(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY})`, [`c2c\u0001${key}`, this.#app])
    }
  }

  async withdraw(from: UserId, to: UserId, msgKey: MsgKey): Promise<WithdrawOutcome> {
    const [lo, hi] = pair(from, to)
    // `recalled = false` is re-checked on the newest row version, so of two concurrent recalls one wins.
    const { rows } = await this.#db.query<{ found: boolean; withdrawn: boolean; total: number }>(
      `WITH msg AS (
         UPDATE c2c_messages SET recalled = true
         WHERE app_id = $1 AND user_lo = $4 AND user_hi = $5 AND msg_key = $6 AND from_id = $3 AND to_id = $2
           AND NOT recalled
         RETURNING counted, msg_time),
       conv AS (
         UPDATE c2c_conversations c SET unread = c.unread - 1 FROM msg
         WHERE msg.counted AND c.app_id = $1 AND c.owner_id = $2 AND c.peer_id = $3 AND c.read_time < msg.msg_time
         RETURNING 1),
       tot AS (
         UPDATE c2c_unread_totals SET unread = unread - 1
         WHERE app_id = $1 AND user_id = $2 AND EXISTS (SELECT 1 FROM conv) RETURNING unread)
       SELECT EXISTS (SELECT 1 FROM c2c_messages WHERE app_id = $1 AND user_lo = $4 AND user_hi = $5
                AND msg_key = $6 AND from_id = $3 AND to_id = $2) AS found,
              EXISTS (SELECT 1 FROM msg) AS withdrawn, ${TOTAL_AFTER}`,
      [this.#app, to, from, lo, hi, msgKey],
    )
    const r = rows[0]!
    if (r.withdrawn) return { withdrawn: true, recipientUnreadTotal: r.total }
    return { withdrawn: false, reason: r.found ? 'already-recalled' : 'not-found' }
  }

  async markRead(reader: UserId, peer: UserId, upTo: number): Promise<ReadOutcome> {
    // The no-op update creates the row when missing and locks it either way, so the recount below
    // (a new statement, a new snapshot) sees every message whose writer got the lock before us.
    const { rows } = await this.#db.query<{ read_time: number; unread: number; total: number }>(
      `INSERT INTO c2c_conversations AS c (app_id, owner_id, peer_id) VALUES ($1, $2, $3)
       ON CONFLICT (app_id, owner_id, peer_id) DO UPDATE SET read_time = c.read_time
       RETURNING read_time, unread,
         coalesce((SELECT unread FROM c2c_unread_totals WHERE app_id = $1 AND user_id = $2), 0) AS total`,
      [this.#app, reader, peer],
    )
    const conv = rows[0]!
    if (upTo <= conv.read_time) return { readTime: conv.read_time, readerUnreadTotal: conv.total }
    // Uses c2c_messages_unread: only messages after the new read time are visited.
    const recount = await this.#db.query<{ total: number }>(
      `WITH n AS (
         SELECT count(*) AS n FROM c2c_messages
         WHERE app_id = $1 AND to_id = $2 AND from_id = $3 AND counted AND NOT recalled AND msg_time > $4),
       conv AS (
         UPDATE c2c_conversations SET read_time = $4, unread = unread + ((SELECT n FROM n) - $5)
         WHERE app_id = $1 AND owner_id = $2 AND peer_id = $3 RETURNING 1),
       tot AS (
         INSERT INTO c2c_unread_totals AS t (app_id, user_id, unread)
         SELECT $1, $2, n - $5 FROM n, conv WHERE n <> $5
         ON CONFLICT (app_id, user_id) DO UPDATE SET unread = t.unread + excluded.unread RETURNING unread)
       SELECT ${TOTAL_AFTER}`,
      [this.#app, reader, peer, upTo, conv.unread],
    )
    return { readTime: upTo, readerUnreadTotal: recount.rows[0]!.total }
  }

  async ackReceipts(
    reader: UserId,
    peer: UserId,
    msgKeys: readonly MsgKey[],
  ): Promise<number | 'unknown-account'> {
    const [lo, hi] = pair(reader, peer)
    // The account check is part of the update, so the command is one round trip.
    const { rows } = await this.#db.query<{ known: boolean; n: number }>(
      `WITH known AS (
         SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $4)
           AND EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $5) AS ok),
       acked AS (
         UPDATE c2c_messages SET peer_read = true
         WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND from_id = $4 AND to_id = $5
           AND msg_key = ANY($6::text[]) AND need_receipt AND NOT recalled AND NOT peer_read
           AND (SELECT ok FROM known)
         RETURNING 1)
       SELECT (SELECT ok FROM known) AS known, (SELECT count(*) FROM acked) AS n`,
      [this.#app, lo, hi, peer, reader, [...new Set(msgKeys)]],
    )
    return rows[0]!.known ? rows[0]!.n : 'unknown-account'
  }

  async unreadTotal(user: UserId): Promise<number> {
    const { rows } = await this.#db.query<{ unread: number }>(
      'SELECT unread FROM c2c_unread_totals WHERE app_id = $1 AND user_id = $2',
      [this.#app, user],
    )
    return rows[0]?.unread ?? 0
  }

  async unreadCounts(user: UserId, peers: readonly UserId[]): Promise<UnreadCounts | undefined> {
    const { rows } = await this.#db.query<{ known: boolean; total: number; peers: [UserId, number][] }>(
      `SELECT EXISTS (SELECT 1 FROM accounts WHERE app_id = $1 AND user_id = $2) AS known,
         coalesce((SELECT unread FROM c2c_unread_totals WHERE app_id = $1 AND user_id = $2), 0) AS total,
         coalesce((SELECT json_agg(json_build_array(a.user_id, coalesce(c.unread, 0)))
           FROM accounts a
           LEFT JOIN c2c_conversations c ON c.app_id = $1 AND c.owner_id = $2 AND c.peer_id = a.user_id
           WHERE a.app_id = $1 AND a.user_id = ANY($3::text[])), '[]') AS peers`,
      [this.#app, user, [...new Set(peers)]],
    )
    const r = rows[0]!
    return r.known ? { total: r.total, peers: new Map(r.peers) } : undefined
  }

  async history(q: HistoryQuery): Promise<HistoryPage> {
    const [lo, hi] = pair(q.viewer, q.peer)
    const b = q.before
    const params: unknown[] = [this.#app, lo, hi, q.minTime, q.maxTime, q.viewer, q.limit + 1]
    if (b !== undefined) params.push(b.msgTime, b.msgSeq, b.msgRandom)
    const { rows } = await this.#db.query<MessageRow>(
      `SELECT * FROM c2c_messages
       WHERE app_id = $1 AND user_lo = $2 AND user_hi = $3 AND msg_time BETWEEN $4 AND $5
         AND ((to_id = $6 AND recipient_sees) OR (from_id = $6 AND sender_sees))
         ${b === undefined ? '' : 'AND (msg_time, msg_seq, msg_random) < ($8, $9, $10)'}
       ORDER BY msg_time DESC, msg_seq DESC, msg_random DESC LIMIT $7`,
      params,
    )
    return { messages: rows.slice(0, q.limit).map(toMessage), more: rows.length > q.limit }
  }
}
