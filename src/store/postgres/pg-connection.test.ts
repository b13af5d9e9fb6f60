import { describe, expect, it } from 'vitest'
import { isClientTimeout, isConnectionLoss } from './pg-connection.js'

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code })

describe('isConnectionLoss', () => {
  it.each([
    ['a terminated backend (57P01)', pgError('57P01')],
    ['a crash of the server (57P02)', pgError('57P02')],
    ['a server starting or stopping (57P03)', pgError('57P03')],
    ['a connection exception (08006)', pgError('08006')],
    ['a reset socket', pgError('ECONNRESET')],
    ['a refused connection', pgError('ECONNREFUSED')],
    ['a socket closed under a query', new Error('Connection terminated unexpectedly')],
    [
      'a client that already lost its connection',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
  ])('is true for %s', (_name, e) => {
    expect(isConnectionLoss(e)).toBe(true)
  })

  it.each([
    ['a serialization failure (40001)', pgError('40001')],
    ['a cancelled statement (57014): the connection stays usable', pgError('57014')],
    ['a unique violation', pgError('23505')],
    ['a client-side read timeout', new Error('Query read timeout')],
    ['something that is not an error', 'Connection terminated'],
  ])('is false for %s', (_name, e) => {
    expect(isConnectionLoss(e)).toBe(false)
  })
})

describe('isClientTimeout', () => {
  it("is true only for pg's own read timeout", () => {
    expect(isClientTimeout(new Error('Query read timeout'))).toBe(true)
    expect(isClientTimeout(pgError('57014', 'canceling statement due to statement timeout'))).toBe(false)
  })
})
