/** Correctness rules (DK1xx): what Docker rejects or silently misreads, plus two style rules. */
import type {Rule} from '../rule.js'
import {argumentCount} from './argument-count.js'
import {copyDestination} from './copy-destination.js'
import {copyFromStage} from './copy-from-stage.js'
import {duplicateStageName} from './duplicate-stage-name.js'
import {emptyContinuation} from './empty-continuation.js'
import {envSelfReference} from './env-self-reference.js'
import {exposeInvalid} from './expose-invalid.js'
import {flags} from './flags.js'
import {fromFirst} from './from-first.js'
import {instructionCasing} from './instruction-casing.js'
import {jsonForm} from './json-form.js'
import {legacyKeyValue} from './legacy-key-value.js'
import {multipleInstructions} from './multiple-instructions.js'
import {onbuildTrigger} from './onbuild-trigger.js'
import {parseError} from './parse-error.js'
import {shellFormWithoutShell} from './shell-form-without-shell.js'
import {stageNameInvalid} from './stage-name-invalid.js'
import {stopsignalInvalid} from './stopsignal-invalid.js'
import {undefinedArgInFrom} from './undefined-arg-in-from.js'
import {unknownInstruction} from './unknown-instruction.js'
import {workdirRelative} from './workdir-relative.js'

export const correctnessRules: Rule[] = [
  parseError,
  fromFirst,
  onbuildTrigger,
  unknownInstruction,
  argumentCount,
  jsonForm,
  exposeInvalid,
  multipleInstructions,
  copyDestination,
  duplicateStageName,
  stageNameInvalid,
  copyFromStage,
  flags,
  envSelfReference,
  undefinedArgInFrom,
  workdirRelative,
  stopsignalInvalid,
  emptyContinuation,
  instructionCasing,
  legacyKeyValue,
  shellFormWithoutShell,
]
