/**
 * Migration 0007 on a database written before it: every stored read range gets the interval node
 * the store computes (interval-nodes.ts), and every membership gets exactly the unread stretches
 * its ranges leave, from its join on, on each store.
 */
import Database from 'better-sqlite3'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { MAX_SEQ, nodeOf } from '../../src/domain/read-state/interval-nodes.js'
import { readMigrations, type Migration } from '../../src/store/migrations.js'
import { migratePostgres } from '../../src/store/postgres/pg-migrate.js'
import { migrateSqlite, sqliteMigrations } from '../../src/store/sqlite/sqlite-migrate.js'
import type { StoreKind } from '../../src/store/store.js'
import { dropSchema, freshSchema, STORES, testDatabaseUrl } from '../helpers/stores.js'

type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>

interface Old {
  sql: Sql
  /** Applies the migrations that `keep` accepts. */
  migrate(keep: (m: Migration) => boolean): Promise<void>
  close(): Promise<void>
}

const opens: Record<StoreKind, () => Promise<Old>> = {
  sqlite: async () => {
    const db = new Database(':memory:')
    return {
      sql: async (text, params = []) => {
        const stmt = db.prepare(text)
        return stmt.reader ? (stmt.all(...params) as Record<string, unknown>[]) : (stmt.run(...params), [])
      },
      migrate: async (keep) => void migrateSqlite(db, sqliteMigrations().filter(keep)),
      close: async () => void db.close(),
    }
  },
  postgres: async () => {
    const url = testDatabaseUrl()
    const schema = freshSchema()
    const pool = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` })
    const all = readMigrations(new URL('../../src/store/postgres/migrations/', import.meta.url))
    return {
      sql: async (text, params = []) => {
        let n = 0
        return (
          await pool.query(
            text.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as Record<string, unknown>[]
      },
      migrate: async (keep) => {
        const client = await pool.connect()
        try {
          await migratePostgres(client, schema, all.filter(keep))
        } finally {
          client.release()
        }
      },
      close: async () => {
        await pool.end()
        await dropSchema(url, schema)
      },
    }
  },
}

describe.each(STORES)('%s: migration 0007 on older data', (kind) => {
  it('files old ranges under their nodes and derives every unread stretch', async () => {
    const old = await opens[kind]()
    try {
      await old.migrate((m) => m.version < 7)
      await old.sql(
        `INSERT INTO groups (app_id, group_id, type, name, owner_id, max_members, created_time, last_seq,
           next_member_no, member_count) VALUES (1, 'g', 'Public', 'g', NULL, 0, 1, 12, 4, 3)`,
      )
      const gid = Number((await old.sql(`SELECT gid FROM groups WHERE group_id = 'g'`))[0]!.gid)
      const members: [number, number, [number, number][]][] = [
        [
          1,
          0,
          [
            [2, 4],
            [7, 7],
          ],
        ],
        [2, 3, []],
        [3, 0, [[1, 10]]],
      ]
      for (const [no, joinSeq, ranges] of members) {
        await old.sql(
          `INSERT INTO group_members (app_id, gid, member_no, user_id, role, join_seq, join_time)
           VALUES (1, ?, ?, ?, 'Member', ?, 1)`,
          [gid, no, `u${no}`, joinSeq],
        )
        for (const [lo, hi] of ranges) {
          await old.sql(
            'INSERT INTO group_read_ranges (app_id, gid, member_no, lo, hi) VALUES (1, ?, ?, ?, ?)',
            [gid, no, lo, hi],
          )
        }
      }
      await old.migrate(() => true)

      const rows = async (table: string) =>
        (await old.sql(`SELECT member_no, lo, hi, node FROM ${table} ORDER BY member_no, lo`)).map((r) => [
          Number(r.member_no),
          Number(r.lo),
          Number(r.hi),
          Number(r.node),
        ])
      const filed = (no: number, lo: number, hi: number) => [no, lo, hi, nodeOf(lo, hi)]
      expect(await rows('group_read_ranges')).toEqual([filed(1, 2, 4), filed(1, 7, 7), filed(3, 1, 10)])
      expect(await rows('group_unread_gaps')).toEqual([
        filed(1, 1, 1),
        filed(1, 5, 6),
        filed(1, 8, MAX_SEQ),
        filed(2, 4, MAX_SEQ),
        filed(3, 11, MAX_SEQ),
      ])
    } finally {
      await old.close()
    }
  })
})
