// Empties dist/ before a build, so files of deleted sources never ship in the package.
import { rmSync } from 'node:fs'

rmSync('dist', { recursive: true, force: true })
