import { appendAll } from '../append-all';
import type { SafetensorsHeader } from '../format/tensor-info';
import { parseLayerKey } from '../layout/layer-key';
import type { Candidate } from './classify/candidate';
import type { LayoutHints } from './classify/build-layout';
import { classifyGroup } from './classify/classify-module';
import { LayoutMemo } from './classify/layout-memo';
import { fileSchemes } from './file-schemes';
import { groupMembers } from './group-members';
import type { MemberGroup } from './group-members';
import { PatternMatcher } from './module-patterns';
import type { ConfigFile, QuantConfig } from './read-quant-config';
import { quantConfigProblems, readQuantConfig } from './read-quant-config';
import type {
  FileScheme,
  ModuleScheme,
  OrphanTensor,
  QuantModule,
  QuantProducer,
  QuantRole,
  TensorRef,
} from './quant-types';
import { contextScheme, loneFits } from './scheme-context';

/** What the config says about one module against what is stored. */
export type ConfigIssue =
  | { readonly kind: 'declared-but-unquantized' }
  | { readonly kind: 'undeclared-but-quantized'; readonly modules: number }
  | {
      readonly kind: 'scheme-differs';
      readonly file: string;
      readonly scheme: ModuleScheme;
      readonly modules: number;
    }
  | { readonly kind: 'listed-but-unquantized'; readonly prefix: string; readonly weight: TensorRef }
  | { readonly kind: 'unlisted-but-quantized'; readonly module: QuantModule }
  | {
      readonly kind: 'excluded-but-quantized';
      readonly module: QuantModule;
      readonly pattern: string;
    }
  /** An exclusion pattern that could not be applied (unsupported syntax, or over the step budget). */
  | { readonly kind: 'pattern-not-applied'; readonly pattern: string; readonly reason: string }
  /** The configs themselves are wrong or contradict each other. */
  | {
      readonly kind: 'config-problem';
      readonly rule: 'config-conflict' | 'config-value';
      readonly configFile: ConfigFile;
      readonly message: string;
    };

export interface SchemeReport {
  readonly files: readonly FileScheme[];
  readonly modules: readonly QuantModule[];
  readonly orphans: readonly OrphanTensor[];
  readonly config: QuantConfig;
  /** The path of the config file that declared (or failed to declare) the quantization, if known. */
  readonly configFile: string | null;
  readonly configIssues: readonly ConfigIssue[];
}

/** Names of the config files as the caller knows them (paths), so findings can point at them. */
export interface RecognizeOptions {
  readonly configFile?: string | null;
  readonly hfQuantConfigFile?: string | null;
}

/**
 * Recognises the quantization scheme of a checkpoint: groups each file's tensors into modules by
 * name, classifies every module from its names, dtypes and shapes, then checks the result against
 * `config.json` / `hf_quant_config.json` (as `openCheckpoint` returns them; null when absent). A
 * scheme the config declares and the tensors confirm has source `config`; otherwise `names`.
 * Pure and synchronous: reads headers only.
 */
export function recognizeScheme(
  headers: readonly SafetensorsHeader[],
  config: unknown,
  hfQuantConfig: unknown,
  options: RecognizeOptions = {},
): SchemeReport {
  const quant = readQuantConfig(config, hfQuantConfig);
  // Unquantized weights by prefix matter only against a per-module list: a million-tensor header
  // would otherwise hold a map of every plain weight for nothing.
  const wantsPlain = quant.kind === 'quantized' && quant.perModule !== null;
  const { candidates, orphans, plain } = classifyGroups(groupMembers(headers), wantsPlain);
  const context = contextScheme(
    quant,
    candidates.map((c) => c.candidate),
  );
  const layouts = new LayoutMemo(hintsOf(quant));
  const matcher = new PatternMatcher(quant.kind === 'quantized' ? quant.exclude : []);
  const modules: QuantModule[] = [];
  const excluded = new Set<QuantModule>();
  const issues: ConfigIssue[] = quantConfigProblems(config, hfQuantConfig).map((p) => ({
    kind: 'config-problem',
    rule: p.rule,
    configFile: p.file,
    message: p.message,
  }));
  for (const { group, candidate } of candidates) {
    let scheme = candidate.scheme;
    let producer = candidate.producer;
    if (scheme === null) {
      if (context === null || !loneFits(candidate, context)) {
        const weight = candidate.roles.weight;
        if (weight !== undefined && wantsPlain) {
          plain.set(group.prefix, weight);
        }
        continue;
      }
      scheme = context.scheme;
      producer = context.producer;
    }
    const resolved = resolveAgainstConfig(quant, matcher, group.prefix, scheme, producer);
    const module = buildModule(group.prefix, candidate, scheme, resolved, layouts);
    modules.push(module);
    if (resolved.excludedBy !== null) {
      excluded.add(module);
      issues.push({ kind: 'excluded-but-quantized', module, pattern: resolved.excludedBy });
    } else if (resolved.unlisted) {
      issues.push({ kind: 'unlisted-but-quantized', module });
    }
  }
  appendAll(issues, checkpointIssues(quant, modules, excluded, plain));
  for (const p of matcher.problems()) {
    issues.push({ kind: 'pattern-not-applied', pattern: p.pattern, reason: p.reason });
  }
  return {
    files: fileSchemes(headers, modules, orphans),
    modules,
    orphans,
    config: quant,
    configFile: configFileName(quant, options),
    configIssues: issues,
  };
}

interface Classified {
  readonly candidates: { group: MemberGroup; candidate: Candidate }[];
  readonly orphans: OrphanTensor[];
  /** Unquantized weights by prefix (for configs that list them as quantized), when `wantsPlain`. */
  readonly plain: Map<string, TensorRef>;
}

function classifyGroups(groups: readonly MemberGroup[], wantsPlain: boolean): Classified {
  const out: Classified = { candidates: [], orphans: [], plain: new Map() };
  for (const group of groups) {
    const c = classifyGroup(group);
    if (c.kind === 'module') {
      out.candidates.push({ group, candidate: c.candidate });
    } else if (c.kind === 'orphans') {
      for (const tensor of c.tensors) {
        out.orphans.push({ tensor, prefix: group.prefix });
      }
    } else if (wantsPlain) {
      const weight = group.members.get('weight');
      if (weight !== undefined) {
        out.plain.set(group.prefix, weight);
      }
    }
  }
  return out;
}

function hintsOf(quant: QuantConfig): LayoutHints {
  const declared = quant.kind === 'quantized' ? quant : null;
  return {
    groupSize: declared?.groupSize ?? null,
    block: declared?.block ?? null,
    gptqZeroOffset: declared?.gptqZeroOffset ?? 1,
    inFeatures: null,
    bnb: null,
  };
}

/** A module's `missing` when it has every required role: one shared, frozen empty list. */
const NOTHING_MISSING: readonly QuantRole[] = Object.freeze([]);

function buildModule(
  prefix: string,
  candidate: Candidate,
  scheme: ModuleScheme,
  resolved: Resolved,
  layouts: LayoutMemo,
): QuantModule {
  const roles = candidate.roles;
  const built = layouts.build(candidate.recipe, roles, candidate.scaleEncoding);
  const first = roles.weight ?? Object.values(roles)[0];
  const file = first?.file ?? '';
  return {
    id: `${file}::${prefix}`,
    file,
    prefix,
    key: parseLayerKey(first?.info.name ?? prefix),
    scheme,
    producer: resolved.producer,
    source: resolved.source,
    tensors: roles,
    scaleEncoding: candidate.scaleEncoding,
    layout: built.layout,
    missing: candidate.required.every((r) => roles[r] !== undefined)
      ? NOTHING_MISSING
      : candidate.required.filter((r) => roles[r] === undefined),
    shapeProblem: built.shapeProblem,
  };
}

function configFileName(quant: QuantConfig, options: RecognizeOptions): string | null {
  if (quant.kind === 'absent') {
    return null;
  }
  return quant.file === 'hf_quant_config.json'
    ? (options.hfQuantConfigFile ?? null)
    : (options.configFile ?? null);
}

interface Resolved {
  readonly producer: QuantProducer | null;
  readonly source: 'config' | 'names';
  readonly excludedBy: string | null;
  readonly unlisted: boolean;
}

/** A module's source and producer once the config's declaration (and exclusions) are applied. */
function resolveAgainstConfig(
  quant: QuantConfig,
  matcher: PatternMatcher,
  prefix: string,
  scheme: ModuleScheme,
  producer: QuantProducer | null,
): Resolved {
  if (quant.kind !== 'quantized') {
    return { producer, source: 'names', excludedBy: null, unlisted: false };
  }
  const excluded = matcher.first(prefix);
  if (excluded !== null) {
    return { producer, source: 'names', excludedBy: excluded.text, unlisted: false };
  }
  const declared = quant.perModule === null ? quant.scheme : (quant.perModule.get(prefix) ?? null);
  if (declared === null) {
    return { producer, source: 'names', excludedBy: null, unlisted: true };
  }
  if (declared === scheme && declared !== 'unknown') {
    return {
      producer: quant.producer ?? producer,
      source: 'config',
      excludedBy: null,
      unlisted: false,
    };
  }
  return { producer, source: 'names', excludedBy: null, unlisted: false };
}

/** Checkpoint-wide disagreements between the config and the stored tensors. */
function checkpointIssues(
  quant: QuantConfig,
  modules: readonly QuantModule[],
  excluded: ReadonlySet<QuantModule>,
  plain: ReadonlyMap<string, TensorRef>,
): ConfigIssue[] {
  const known = modules.filter((m) => m.scheme !== 'unknown');
  if (quant.kind === 'unquantized') {
    return known.length > 0 ? [{ kind: 'undeclared-but-quantized', modules: known.length }] : [];
  }
  if (quant.kind !== 'quantized' || quant.scheme === 'unknown') {
    return [];
  }
  if (known.length === 0) {
    return [{ kind: 'declared-but-unquantized' }];
  }
  const issues: ConfigIssue[] = [];
  if (quant.perModule !== null) {
    for (const name of quant.perModule.keys()) {
      const weight = plain.get(name);
      if (weight !== undefined) {
        issues.push({ kind: 'listed-but-unquantized', prefix: name, weight });
      }
    }
    return issues;
  }
  const differing = new Map<string, { file: string; scheme: ModuleScheme; modules: number }>();
  for (const m of known) {
    if (m.scheme !== quant.scheme && !excluded.has(m)) {
      const key = `${m.file}\u0000${m.scheme}`;
      const entry = differing.get(key) ?? { file: m.file, scheme: m.scheme, modules: 0 };
      entry.modules++;
      differing.set(key, entry);
    }
  }
  for (const d of differing.values()) {
    issues.push({ kind: 'scheme-differs', ...d });
  }
  return issues;
}
