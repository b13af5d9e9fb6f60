// Copies what the compiled server reads at run time (SQL migrations, the console's files) next to
// the compiled code.
import { cpSync } from 'node:fs'

for (const engine of ['sqlite', 'postgres']) {
  cpSync(`src/store/${engine}/migrations`, `dist/store/${engine}/migrations`, { recursive: true })
}
cpSync('src/console', 'dist/console', { recursive: true })
