import { assertUnreachable } from '../../dtype/dtype';
import type { ConfigIssue, SchemeReport } from '../recognize-scheme';
import type { Finding } from '../quant-types';

function describeDeclared(report: SchemeReport): string {
  const q = report.config;
  return q.kind === 'quantized' ? `${q.file} declares ${q.scheme} (${q.method})` : 'the config';
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
    default:
      return assertUnreachable(issue);
  }
}

/** Findings where the config and the stored tensors disagree. */
export function lintConfig(report: SchemeReport): Finding[] {
  return report.configIssues.map((issue) => findingOf(report, issue));
}
