/** Prints the functions with the most self time in a V8 .cpuprofile: `npx tsx bench/profile-top.ts FILE`. */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}
const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<string, number>()
let total = 0
profile.samples.forEach((id, i) => {
  const n = nodes.get(id)!
  const where = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`
  const dt = profile.timeDeltas[i] ?? 0
  self.set(where, (self.get(where) ?? 0) + dt)
  total += dt
})
for (const [where, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 25))) {
  process.stdout.write(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${where}\n`)
}
