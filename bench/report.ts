/** Renders benchmark rows as a markdown table and as an SVG bar chart of the ratios to the baseline. */

export interface Row {
  scenario: string
  kind: 'write' | 'read'
  receiptd: { requestsPerSecond: number; p50: number; p99: number }
  bare: { requestsPerSecond: number; p50: number; p99: number }
}

export const TARGET = { write: 0.5, read: 0.7 } as const

export const ratio = (r: Row) => r.receiptd.requestsPerSecond / r.bare.requestsPerSecond

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| scenario | kind | receiptd req/s | p50 ms | p99 ms | bare req/s | ratio | target |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ]
  for (const r of rows) {
    const x = ratio(r)
    const ok = x >= TARGET[r.kind] ? '✅' : '❌'
    lines.push(
      `| ${r.scenario} | ${r.kind} | ${fmt(r.receiptd.requestsPerSecond)} | ${r.receiptd.p50} | ${r.receiptd.p99} | ` +
        `${fmt(r.bare.requestsPerSecond)} | ${x.toFixed(2)} | ≥ ${TARGET[r.kind]} ${ok} |`,
    )
  }
  return lines.join('\n')
}

export function ratioChart(rows: readonly Row[]): string {
  const barH = 22
  const gap = 8
  const left = 260
  const width = 720
  const plot = width - left - 60
  const height = rows.length * (barH + gap) + 50
  const x = (v: number) => left + Math.min(v, 1.2) * (plot / 1.2)
  const bars = rows
    .map((r, i) => {
      const y = 20 + i * (barH + gap)
      const v = ratio(r)
      const colour = v >= TARGET[r.kind] ? '#2e7d32' : '#c62828'
      return (
        `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${r.scenario}</text>` +
        `<rect x="${left}" y="${y}" width="${(x(v) - left).toFixed(1)}" height="${barH}" fill="${colour}"/>` +
        `<text x="${(x(v) + 4).toFixed(1)}" y="${y + 15}">${v.toFixed(2)}</text>`
      )
    })
    .join('\n')
  const rule = (v: number, label: string) =>
    `<line x1="${x(v)}" y1="10" x2="${x(v)}" y2="${height - 25}" stroke="#555" stroke-dasharray="4 3"/>` +
    `<text x="${x(v)}" y="${height - 10}" text-anchor="middle">${label}</text>`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    bars,
    rule(0.5, 'write target 0.5'),
    rule(0.7, 'read 0.7'),
    rule(1, 'bare Node 1.0'),
    '</svg>',
    '',
  ].join('\n')
}
