import { assertUnreachable } from '../../dtype/dtype';
import type { ConfigIssue, SchemeReport } from '../recognize-scheme';
import type { Finding } from '../quant-types';

function describeDeclared(report: SchemeReport): string {
  const q = report.config;
  return q.kind === 'quantized' ? `${q.file} declares ${q.scheme} (${q.method})` : 'the config';
}

/** Longest pattern quoted in a message (a hostile config can hold a megabyte-long one). */
const MAX_QUOTED_PATTERN = 120;

function quoted(pattern: string): string {
  return pattern.length > MAX_QUOTED_PATTERN ? `${pattern.slice(0, MAX_QUOTED_PATTERN)}…` : pattern;
}

/** The caller's path of a config file, when the report's declaring file is that one. */
function configFileFor(report: SchemeReport, file: string): string | null {
  const q = report.config;
  return q.kind !== 'absent' && q.file === file ? report.configFile : file;
}

function findingOf(report: SchemeReport, issue: ConfigIssue): Finding {
  const configFile = report.configFile;
  switch (issue.kind) {
    case 'excluded-but-quantized': {
      const m = issue.module;
      const w = m.tensors.weight;
      return {
        rule: 'excluded-but-quantized',
        severity: 'warning',
        file: m.file,
        module: m.prefix,
        tensor: w?.info.name ?? null,
        count: w?.info.elements ?? 0,
        message: `the config leaves "${issue.pattern}" unquantized but ${m.prefix} is stored ${m.scheme}`,
      };
    }
    case 'unlisted-but-quantized': {
      const m = issue.module;
      const w = m.tensors.weight;
      return {
        rule: 'config-mismatch',
        severity: 'warning',
        file: m.file,
        module: m.prefix,
        tensor: w?.info.name ?? null,
        count: 1,
        message: `${m.prefix} is stored ${m.scheme} but the config's quantized_layers does not list it`,
      };
    }
    case 'listed-but-unquantized':
      return {
        rule: 'config-mismatch',
        severity: 'warning',
        file: issue.weight.file,
        module: issue.prefix,
        tensor: issue.weight.info.name,
        count: 1,
        message: `the config's quantized_layers lists ${issue.prefix} but its weight is stored ${issue.weight.info.dtype}`,
      };
    case 'scheme-differs':
      return {
        rule: 'config-mismatch',
        severity: 'error',
        file: issue.file,
        module: null,
        tensor: null,
        count: issue.modules,
        message: `${describeDeclared(report)} but ${issue.modules} module(s) in this file are stored ${issue.scheme}`,
      };
    case 'declared-but-unquantized':
      return {
        rule: 'config-mismatch',
        severity: 'error',
        file: configFile,
        module: null,
        tensor: null,
        count: report.files.length,
        message: `${describeDeclared(report)} but no tensor in the ${report.files.length} file(s) is quantized`,
      };
    case 'undeclared-but-quantized': {
      const q = report.config;
      const what =
        q.kind === 'unquantized'
          ? `${q.file} declares no weight quantization (${q.method})`
          : 'the config declares none';
      return {
        rule: 'config-mismatch',
        severity: 'warning',
        file: configFile,
        module: null,
        tensor: null,
        count: issue.modules,
        message: `${what} but ${issue.modules} module(s) are stored quantized`,
      };
    }
    case 'pattern-not-applied':
      return {
        rule: 'config-pattern',
        severity: 'warning',
        file: configFile,
        module: null,
        tensor: null,
        count: 1,
        message: `the config's exclusion pattern "${quoted(issue.pattern)}" was not applied: ${issue.reason}`,
      };
    case 'config-problem':
      return {
        rule: issue.rule,
        severity: 'warning',
        file: configFileFor(report, issue.configFile),
        module: null,
        tensor: null,
        count: 1,
        message: issue.message,
      };
    default:
      return assertUnreachable(issue);
  }
}

/** Findings where the config and the stored tensors disagree. */
export function lintConfig(report: SchemeReport): Finding[] {
  return report.configIssues.map((issue) => findingOf(report, issue));
}
