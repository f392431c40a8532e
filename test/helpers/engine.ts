/**
 * Shared helpers for the engine suite: a real engine or, under CI, a failure (never a silent skip);
 * labels on everything a test makes, and cleanup of exactly those objects.
 */
import type Dockerode from 'dockerode'

import {connectEngine, type Engine} from '../../src/engine/connect.js'
import {Label} from '../../src/engine/labels.js'

let cached: Promise<Engine | undefined> | undefined

/**
 * The engine, or undefined when none answers outside CI (the caller then skips with a visible reason).
 * Under CI (CI set) a missing engine throws, so the suite fails instead of skipping.
 */
export function maybeEngine(): Promise<Engine | undefined> {
  cached ??= connectEngine({timeoutMs: 5000}).catch((error) => {
    if (process.env.CI) throw new Error(`CI is set but no Docker engine answers: ${(error as Error).message}`)
    process.stderr.write(`engine suite skipped: ${(error as Error).message}\n`)
    return undefined
  })
  return cached
}

/** Labels for a test object: managed by dk, and owned by this test file. */
export function testLabels(suite: string, extra: Record<string, string> = {}): Record<string, string> {
  return {[Label.managed]: 'true', [Label.test]: suite, ...extra}
}

/** Remove every container, image, volume and network carrying `io.dk.test=<suite>`. */
export async function cleanupTestObjects(docker: Dockerode, suite: string): Promise<void> {
  const filters = JSON.stringify({label: [`${Label.test}=${suite}`]})
  const containers = await docker.listContainers({all: true, filters})
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({force: true, v: true}).catch(() => undefined)))
  const images = await docker.listImages({filters})
  for (const image of images) await docker.getImage(image.Id).remove({force: true}).catch(() => undefined)
  const {Volumes: volumes} = await docker.listVolumes({filters})
  await Promise.all((volumes ?? []).map((v) => docker.getVolume(v.Name).remove().catch(() => undefined)))
  const networks = await docker.listNetworks({filters})
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)))
}
