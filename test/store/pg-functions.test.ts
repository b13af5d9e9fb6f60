/**
 * The SQL functions PostgreSQL's migrations create against the TypeScript rules they restate:
 * `receiptd_node` is `nodeOf` (interval-nodes.ts) over the whole seq range, which the differential
 * test, with its few messages per group, cannot reach.
 */
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SEQ, nodeOf } from '../../src/domain/read-state/interval-nodes.js'
import { migratePostgres } from '../../src/store/postgres/pg-migrate.js'
import { dropSchema, freshSchema, TEST_STORE, testDatabaseUrl } from '../helpers/stores.js'

describe.skipIf(TEST_STORE !== 'postgres')('PostgreSQL functions', () => {
  let pool: pg.Pool
  let client: pg.PoolClient
  let schema: string

  beforeAll(async () => {
    schema = freshSchema()
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 })
    client = await pool.connect()
    await migratePostgres(client, schema) // leaves the connection on the schema
  })

  afterAll(async () => {
    client?.release()
    await pool?.end()
    if (schema !== undefined) await dropSchema(testDatabaseUrl(), schema)
  })

  it('receiptd_node gives the node nodeOf gives, for any range of seqs', async () => {
    const range = fc
      .tuple(fc.integer({ min: 0, max: MAX_SEQ }), fc.integer({ min: 0, max: MAX_SEQ }))
      .map(([a, b]) => (a <= b ? [a, b] : [b, a]))
    const ranges = fc.array(range, { minLength: 1, maxLength: 200 })
    await fc.assert(
      fc.asyncProperty(ranges, async (rs) => {
        const { rows } = await client.query<{ node: string }>(
          'SELECT receiptd_node(lo, hi) AS node FROM unnest($1::bigint[], $2::bigint[]) AS r(lo, hi)',
          [rs.map((r) => r[0]), rs.map((r) => r[1])],
        )
        expect(rows.map((r) => Number(r.node))).toEqual(rs.map(([lo, hi]) => nodeOf(lo!, hi!)))
      }),
      { numRuns: 20 },
    )
    // The edges: one seq, neighbours across every power of two, the whole range.
    const edges: [number, number][] = [
      [0, 0],
      [0, MAX_SEQ],
      [MAX_SEQ, MAX_SEQ],
    ]
    for (let l = 0; l < 32; l++) edges.push([2 ** l - 1, 2 ** l], [2 ** l, 2 ** (l + 1) - 1])
    const { rows } = await client.query<{ node: string }>(
      'SELECT receiptd_node(lo, hi) AS node FROM unnest($1::bigint[], $2::bigint[]) AS r(lo, hi)',
      [edges.map((r) => r[0]), edges.map((r) => r[1])],
    )
    expect(rows.map((r) => Number(r.node))).toEqual(edges.map(([lo, hi]) => nodeOf(lo, hi)))
  })
})
