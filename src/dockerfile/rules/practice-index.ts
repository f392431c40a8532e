/**
 * Good-practice (DK2xx) and workshop/Deis (DK3xx) rules, in id order. Docs: docs/lint-rules.md.
 */
import type {Rule} from '../rule.js'
import {addLocalFile} from './add-local-file.js'
import {apkNoCache} from './apk-no-cache.js'
import {aptGetInstallYes} from './apt-get-install-yes.js'
import {aptGetNoInstallRecommends} from './apt-get-no-install-recommends.js'
import {aptGetUpdateAlone} from './apt-get-update-alone.js'
import {aptListsNotCleaned} from './apt-lists-not-cleaned.js'
import {aptNotAptGet} from './apt-not-apt-get.js'
import {cdInRun} from './cd-in-run.js'
import {consecutiveLabels} from './consecutive-labels.js'
import {consecutiveRun} from './consecutive-run.js'
import {deisCmdRequired} from './deis-cmd-required.js'
import {deisExposeOnePort} from './deis-expose-one-port.js'
import {entrypointShellFormWithCmd} from './entrypoint-shell-form-with-cmd.js'
import {execFormSplitWords} from './exec-form-split-words.js'
import {fromLatest} from './from-latest.js'
import {fromUntagged} from './from-untagged.js'
import {lastUserRoot} from './last-user-root.js'
import {maintainerDeprecated} from './maintainer-deprecated.js'
import {pipNoCacheDir} from './pip-no-cache-dir.js'
import {pipeWithoutPipefail} from './pipe-without-pipefail.js'
import {secretInArgEnv} from './secret-in-arg-env.js'
import {shellFormCmd} from './shell-form-cmd.js'
import {shellcheck} from './shellcheck.js'
import {sudoInRun} from './sudo-in-run.js'

export const practiceRules: Rule[] = [
  maintainerDeprecated,
  fromUntagged,
  fromLatest,
  addLocalFile,
  shellFormCmd,
  aptGetInstallYes,
  aptGetNoInstallRecommends,
  aptListsNotCleaned,
  apkNoCache,
  pipNoCacheDir,
  sudoInRun,
  cdInRun,
  lastUserRoot,
  pipeWithoutPipefail,
  secretInArgEnv,
  consecutiveRun,
  aptNotAptGet,
  shellcheck,
  execFormSplitWords,
  deisExposeOnePort,
  deisCmdRequired,
  aptGetUpdateAlone,
  consecutiveLabels,
  entrypointShellFormWithCmd,
]
