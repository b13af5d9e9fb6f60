import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { codes } from './codes.js'

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
const documented = new Set([...doc.matchAll(/^\| (\d{5,6}) \|/gm)].map((m) => Number(m[1])))
const registered = new Set(Object.keys(codes).map(Number))

describe('docs/errors.md', () => {
  it('documents every code of the registry', () => {
    expect([...registered].filter((c) => !documented.has(c))).toEqual([])
  })
  it('documents no code the registry lacks', () => {
    expect([...documented].filter((c) => !registered.has(c))).toEqual([])
  })
})
