/**
 * dk's build context: the Docker-exact `.dockerignore` matcher, the walk and the tar packer that
 * `dk context` explains and `dk build` sends. Ground truth: /work/shared/docs/build-context.md and
 * docs/context.md.
 *
 *   const plan = await planContext(dir, {dockerfile})   // reads .dockerignore, validates like Docker
 *   const tar = packContext(plan, {signal})              // the exact tar stream, back-pressured
 *   POST /build?dockerfile=${plan.dockerfileQueryPath}
 */
export {type ContextPlan, type DockerfileInfo, type DockerignoreInfo, planContext, type PlanOptions} from './plan.js'
export {headerOf, packContext, type PackOptions} from './pack.js'
export {type ContextEntry, type EntryType, walkContext, type WalkWarning} from './walk.js'
export {parseDockerignore} from './dockerignore.js'
export {Pattern, PatternMatcher, PatternSyntaxError, type RawPattern} from './pattern-matcher.js'
