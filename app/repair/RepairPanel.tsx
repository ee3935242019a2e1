import { proxy } from 'comlink';
import { useEffect, useMemo, useState } from 'react';
import { formatPolicy } from '../../core/repair/repair-policy';
import { REPAIR_ID } from '../components/shell/VerdictLinks';
import { repairCommand } from './cli-command';
import { buildManifest } from '../../core/repair/manifest';
import { repairNotes } from '../../core/repair/repair-notes';
import type { RepairPlan } from '../../core/repair/plan-repair';
import { DEFAULT_REPAIR_POLICY } from '../../core/repair/repair-policy';
import type { RepairPolicy } from '../../core/repair/repair-policy';
import type { TensorOutcome } from '../../workers/scan.worker';
import { APP_VERSION } from '../model/report-from-state';
import type { FileState, ScanState } from '../store/scan-store';
import { WorkerClient } from '../workers-client/worker-client';
import { composeRepaired, repairedFileName } from './compose-repaired';
import { applyChoices, overridePolicy, TENSOR_CHOICES } from './merge-plans';
import type { TensorChoice } from './merge-plans';
import { PolicyEditor } from './PolicyEditor';
import { PatchTable } from './PatchTable';
import { directoryPicker, downloadBlob, saveToFolder } from './save-repaired';
import { useRepairPlans } from './use-repair-plans';
import { useRemoteGate } from './use-remote-gate';
import { PlanRemote } from './PlanRemote';
import { JobDelivery } from '../workers-client/job-delivery';
import './repair.css';

/** Results carry the plan they were computed for: a result of another plan is never shown. */
interface Verification {
  readonly planKey: string;
  readonly status: 'checking' | 'clean' | 'unclean';
  readonly badValues: number;
  readonly tensors: number;
}
interface Hashes {
  readonly planKey: string;
  readonly input: string | null;
  readonly output: string | null;
}

/** Identifies what a plan was made from: the policy and every per-tensor choice. */
/** The verify re-scan runs on the panel's own worker, which is never ended under it. */
const NEVER: Promise<void> = new Promise(() => undefined);

function planKeyOf(policy: RepairPolicy, choices: ReadonlyMap<string, TensorChoice>): string {
  const picked = [...choices].map(([tensor, choice]) => `${tensor}=${choice}`).sort();
  return `${formatPolicy(policy)}|${picked.join('|')}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function copyText(text: string): void {
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

/** The repair section: one plan per file with NaN/Inf, downloads, manifest, verification. */
interface Props {
  readonly state: ScanState;
  /** Files with NaN/Inf in scales decoded by role (from the quantization findings). */
  readonly faultyFiles: ReadonlySet<string>;
}

export function RepairPanel({ state, faultyFiles }: Props) {
  const client = useMemo(() => new WorkerClient(), []);
  useEffect(() => () => client.terminate(), [client]);
  const [policy, setPolicy] = useState<RepairPolicy>(DEFAULT_REPAIR_POLICY);
  const [choices, setChoices] = useState<ReadonlyMap<string, TensorChoice>>(new Map());
  const [verified, setVerified] = useState<ReadonlyMap<number, Verification>>(new Map());
  const [hashes, setHashes] = useState<ReadonlyMap<number, Hashes>>(new Map());
  const [note, setNote] = useState<string | null>(null);
  const { waiting, files: waitingFiles, plan: planRemote } = useRemoteGate(state, faultyFiles);
  const plans = useRepairPlans(state, waiting ? null : policy, client, faultyFiles);
  const planKey = planKeyOf(policy, choices);
  // Per-finding overrides are planned only once somebody picks them.
  const used = new Set(choices.values());
  const maxPolicy = useMemo(() => overridePolicy(policy, 'max'), [policy]);
  const zeroPolicy = useMemo(() => overridePolicy(policy, 'zero'), [policy]);
  const override = (p: RepairPolicy, choice: TensorChoice): RepairPolicy | null =>
    used.has(choice) && !waiting ? p : null;
  const maxPlans = useRepairPlans(state, override(maxPolicy, 'max'), client, faultyFiles);
  const zeroPlans = useRepairPlans(state, override(zeroPolicy, 'zero'), client, faultyFiles);

  const ready = useMemo(() => {
    const out: { file: FileState; plan: RepairPlan }[] = [];
    for (const [id, entry] of plans) {
      const file = state.files.find((f) => f.id === id);
      if (file !== undefined && entry.status === 'ready') {
        const fileChoices = new Map<string, TensorChoice>();
        for (const [key, c] of choices) {
          if (key.startsWith(`${id}:`)) {
            fileChoices.set(key.slice(`${id}:`.length), c);
          }
        }
        const overrides = new Map<'max' | 'zero', RepairPlan>();
        const max = maxPlans.get(id);
        const zero = zeroPlans.get(id);
        if (max?.status === 'ready') {
          overrides.set('max', max.plan);
        }
        if (zero?.status === 'ready') {
          overrides.set('zero', zero.plan);
        }
        out.push({ file, plan: applyChoices(entry.plan, fileChoices, overrides) });
      }
    }
    return out.sort((a, b) => a.file.id - b.file.id);
  }, [plans, maxPlans, zeroPlans, choices, state.files]);

  if (waitingFiles.length > 0) {
    return <PlanRemote files={waitingFiles} onPlan={planRemote} />;
  }

  if (plans.size === 0) {
    return null;
  }

  const repairedBlob = (file: FileState, plan: RepairPlan): Promise<Blob> | null =>
    file.file === null ? null : composeRepaired(file.file, plan);

  const verify = (file: FileState, plan: RepairPlan, blob: Blob): void => {
    // Re-scan each patched tensor as the dtype its repair treated it as (U8 scales as FP8).
    const treatedAs = new Map(plan.tensors.map((t) => [t.name, t.treatedAs]));
    const tensors = (file.header?.tensors ?? []).flatMap((t) => {
      const dtype = treatedAs.get(t.name);
      return dtype === undefined ? [] : [{ ...t, dtype }];
    });
    const key = planKey;
    setVerified((m) =>
      new Map(m).set(file.id, {
        planKey: key,
        status: 'checking',
        badValues: 0,
        tensors: tensors.length,
      }),
    );
    let bad = 0;
    // The reply can come before the last outcomes (another port): count only once all are in.
    const delivery = new JobDelivery(NEVER);
    void client.api
      .scanBatch(
        { name: file.name, file: blob },
        tensors,
        undefined,
        proxy((outcomes: TensorOutcome[]) => {
          delivery.receive(outcomes.length);
          for (const o of outcomes) {
            bad += 'stats' in o ? o.stats.nan + o.stats.posInf + o.stats.negInf : 1;
          }
        }),
        proxy(() => undefined),
      )
      .then((sent) => delivery.settle(sent.outcomes))
      .then(() =>
        setVerified((m) =>
          new Map(m).set(file.id, {
            planKey: key,
            status: bad === 0 ? 'clean' : 'unclean',
            badValues: bad,
            tensors: tensors.length,
          }),
        ),
      );
  };

  const download = (file: FileState, plan: RepairPlan): void => {
    void repairedBlob(file, plan)?.then(
      (blob) => {
        downloadBlob(repairedFileName(file.name), blob);
        verify(file, plan, blob);
      },
      (e: unknown) => setNote(`Not downloaded: ${String(e)}`),
    );
  };

  const downloadManifest = (file: FileState, plan: RepairPlan): void => {
    const h = hashes.get(file.id);
    const manifest = buildManifest(plan, policy, {
      toolVersion: APP_VERSION,
      sha256In: h?.input ?? undefined,
      sha256Out: h?.output ?? undefined,
    });
    downloadBlob(
      `${repairedFileName(file.name)}.repair.json`,
      new Blob([`${JSON.stringify(manifest, null, 2)}\n`], { type: 'application/json' }),
    );
  };

  const hash = (file: FileState, plan: RepairPlan): void => {
    const composing = repairedBlob(file, plan);
    const input = file.file;
    if (composing === null || input === null) {
      return;
    }
    const key = planKey;
    setHashes((m) => new Map(m).set(file.id, { planKey: key, input: null, output: null }));
    const noop = proxy(() => undefined);
    void composing
      .then((blob) =>
        Promise.all([
          client.api.sha256({ name: file.name, file: input }, noop),
          client.api.sha256({ name: file.name, file: blob }, noop),
        ]),
      )
      .then(
        ([inputHash, output]) =>
          setHashes((m) => new Map(m).set(file.id, { planKey: key, input: inputHash, output })),
        (e: unknown) => setNote(`Not hashed: ${String(e)}`),
      );
  };

  const patchedFiles = ready.filter((r) => r.plan.patches.length > 0);
  const canSaveToFolder = directoryPicker() !== null;

  return (
    <section
      id={REPAIR_ID}
      tabIndex={-1}
      className="panel repair-panel"
      aria-label="Repair"
      data-testid="repair-panel"
    >
      <h2>Repair</h2>
      <p className="repair-intro">
        A repaired shard is the original with only the listed bytes changed: same length, same
        header, same name, so it drops back into the checkpoint folder. Your files are never
        modified.
      </p>
      <PolicyEditor policy={policy} onChange={setPolicy} />
      <div className="repair-actions">
        {patchedFiles.length > 1 && (
          <button
            type="button"
            data-testid="download-all-repaired"
            onClick={() => patchedFiles.forEach(({ file, plan }) => download(file, plan))}
          >
            Download all {patchedFiles.length} repaired shards
          </button>
        )}
        {canSaveToFolder && patchedFiles.length > 0 && (
          <button
            type="button"
            onClick={() => {
              const files = patchedFiles.flatMap(({ file, plan }) => {
                const source = file.file;
                return source === null
                  ? []
                  : [
                      {
                        name: repairedFileName(file.name),
                        blob: () => composeRepaired(source, plan),
                      },
                    ];
              });
              saveToFolder(files).then(
                (n) => setNote(`Saved ${n} repaired shard${n === 1 ? '' : 's'} to the folder.`),
                (e: unknown) => setNote(`Not saved: ${String(e)}`),
              );
            }}
          >
            Save repaired shards to folder…
          </button>
        )}
        {note !== null && <span className="repair-note">{note}</span>}
      </div>
      {[...plans].map(([id, entry]) => {
        const file = state.files.find((f) => f.id === id);
        if (file === undefined) {
          return null;
        }
        if (entry.status !== 'ready') {
          return (
            <div key={id} className="repair-file" data-file={file.name}>
              <strong className="file-name">{file.name}</strong>{' '}
              {entry.status === 'planning' ? (
                'planning…'
              ) : (
                <span className="bad">{entry.error.message}</span>
              )}
            </div>
          );
        }
        const plan = ready.find((r) => r.file.id === id)?.plan ?? entry.plan;
        // Results of a previous plan (another policy or choice) are not this plan's: not shown.
        const v = verified.get(id)?.planKey === planKey ? verified.get(id) : undefined;
        const h = hashes.get(id)?.planKey === planKey ? hashes.get(id) : undefined;
        const command = repairCommand(file.name, policy);
        const fileHasChoices = [...choices.keys()].some((k) => k.startsWith(`${id}:`));
        const neutral = plan.patches.filter((p) => p.classification === 'neutral').length;
        const lossy = plan.patches.filter((p) => p.classification === 'lossy').length;
        return (
          <div key={id} className="repair-file" data-testid="repair-file" data-file={file.name}>
            <div className="repair-file-head">
              <strong className="file-name">{file.name}</strong>
              <span>
                {plan.patches.length} byte patch{plan.patches.length === 1 ? '' : 'es'} in{' '}
                {plan.tensors.length} tensor
                {plan.tensors.length === 1 ? '' : 's'}
                {neutral > 0 && <span className="tag neutral">{neutral} neutral</span>}
                {lossy > 0 && <span className="tag lossy">{lossy} lossy</span>}
              </span>
              <button
                type="button"
                className="primary"
                data-testid="download-repaired"
                data-file={file.name}
                disabled={plan.patches.length === 0}
                onClick={() => download(file, plan)}
              >
                Download repaired shard
              </button>
              <button
                type="button"
                data-testid="download-manifest"
                data-file={file.name}
                onClick={() => downloadManifest(file, plan)}
              >
                Manifest (JSON)
              </button>
              <button type="button" data-testid="compute-sha256" onClick={() => hash(file, plan)}>
                SHA-256
              </button>
            </div>
            {/* What the patches do, per role and class: core's words (the CLI prints the same). */}
            {plan.patches.length > 0 && (
              <ul
                className="lossy-note repair-notes"
                data-testid="repair-notes"
                data-file={file.name}
              >
                {repairNotes(plan.tensors).map((n) => (
                  <li key={n} data-testid="repair-note">
                    {n}
                  </li>
                ))}
              </ul>
            )}
            {entry.plan.tensors.map((t) => {
              const key = `${id}:${t.name}`;
              const summary = plan.tensors.find((x) => x.name === t.name);
              return (
                <label key={t.name} className="tensor-choice">
                  <select
                    data-testid="tensor-choice"
                    data-tensor={t.name}
                    value={choices.get(key) ?? 'policy'}
                    onChange={(e) => {
                      const value =
                        TENSOR_CHOICES.find((c) => c === e.currentTarget.value) ?? 'policy';
                      setChoices((m) => new Map(m).set(key, value));
                    }}
                  >
                    <option value="policy">as the policy says</option>
                    <option value="max">largest finite (±448)</option>
                    <option value="zero">zero</option>
                    <option value="skip">leave untouched</option>
                  </select>{' '}
                  <code>{t.name}</code> ({t.treatedAs}, {summary?.patches ?? 0} byte
                  {(summary?.patches ?? 0) === 1 ? '' : 's'})
                </label>
              );
            })}
            {v !== undefined && (
              <p
                className={v.status === 'unclean' ? 'bad' : 'ok'}
                data-testid="repair-verified"
                data-file={file.name}
                data-state={v.status}
                data-bad={v.badValues}
              >
                {v.status === 'checking'
                  ? `Re-scanning the repaired output's ${plural(v.tensors, 'patched tensor')}…`
                  : v.status === 'clean'
                    ? `Re-scan of the repaired output: no NaN or Inf left in the ${plural(v.tensors, 'patched tensor')}.`
                    : `Re-scan found ${plural(v.badValues, 'NaN/Inf value')} left in the patched tensors.`}
              </p>
            )}
            {plan.patches.length > 0 && (
              <div className="repair-cli">
                <span className="repair-cli-label">On the machine holding the checkpoint:</span>
                <code data-testid="repair-command" data-file={file.name}>
                  {command}
                </code>
                <button
                  type="button"
                  data-testid="copy-repair-command"
                  aria-label={`Copy the repair command for ${file.name}`}
                  onClick={() => copyText(command)}
                >
                  Copy
                </button>
                {fileHasChoices && (
                  <span className="repair-note">
                    The per-tensor choices above have no CLI flag: the command applies the policy.
                  </span>
                )}
              </div>
            )}
            {h !== undefined && (
              <p className="hashes mono" data-testid="sha256">
                {h.input === null ? 'hashing…' : `input  sha256 ${h.input}`}
                <br />
                {h.output === null ? '' : `output sha256 ${h.output}`}
              </p>
            )}
          </div>
        );
      })}
      {/* Without a finished plan there is nothing to list (and no "nothing to patch" to claim). */}
      {ready.length > 0 && (
        <PatchTable
          plans={ready.map((r) => ({ fileName: r.file.name, plan: r.plan, header: r.file.header }))}
        />
      )}
    </section>
  );
}
