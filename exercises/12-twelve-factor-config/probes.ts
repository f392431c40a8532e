/**
 * Probes shared by exercises 12 and 13: a throw-away app container on a loopback port, and the lines
 * of its output that carry a marker. Candidates for the exercise kit.
 */
import type {ExerciseContext} from '../../src/exercises/kit.js'

/** Start a throw-away container of the built image on a loopback port; returns its id and host port. */
export async function startApp(ctx: ExerciseContext, imageId: string, env: Record<string, string> = {}, containerPort = 8080): Promise<{id: string; port: number}> {
  const started = await ctx.run(imageId, {detach: true, env, ports: [`127.0.0.1::${containerPort}`]})
  const port = await ctx.publishedPort(started.id, `${containerPort}/tcp`)
  if (!port) throw new Error(`no host port for ${containerPort}/tcp`)
  return {id: started.id, port}
}

/** Lines of a container's output (stdout and stderr) containing `marker`; waits briefly for the log to catch up. */
export async function logLinesWith(ctx: ExerciseContext, container: string, marker: string, expected: number): Promise<string[]> {
  let lines: string[] = []
  for (let attempt = 0; attempt < 5; attempt++) {
    const {stdout, stderr} = await ctx.logs(container)
    lines = `${stdout}\n${stderr}`.split('\n').filter((l) => l.includes(marker))
    if (lines.length >= expected) break
    await new Promise((r) => setTimeout(r, 200))
  }
  return lines
}
