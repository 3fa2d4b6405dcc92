import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct, IConstruct } from "constructs";
import { Annotations, Aspects, TerraformStack } from "../../cdktf";
import { silentAlarmsWarning } from "../../plan/monitoring/metrics";
import { aws } from "../core/aws";

/** Props of {@link AlarmNotifications}. */
export interface AlarmNotificationsProps {
  /**
   * An existing SNS topic (or any alarm action ARN) to notify.
   * @default - a new SNS topic; subscribe to it (e-mail, chat, paging) outside this library
   */
  readonly topicArn?: string;
  /**
   * KMS key for a new topic. CloudWatch can publish to an encrypted topic only with a customer
   * managed key whose policy lets cloudwatch.amazonaws.com use it (not the AWS managed aws/sns key).
   * @default - no encryption at rest
   */
  readonly kmsMasterKeyId?: string;
  /**
   * Tags for a new topic.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** The AlarmNotifications added to each scope, so that finding them never walks a scope's children. */
const notificationsIn = new WeakMap<IConstruct, AlarmNotifications[]>();

/**
 * One place for alarm notifications: every library health alarm in the scope this construct is
 * added to (the construct's parent and everything under it, e.g. the whole stack) notifies its
 * topic, in addition to any `monitoring.alarmActions` of the construct that owns the alarm.
 *
 * ```ts
 * new AlarmNotifications(stack, "Alarms");                           // a new topic
 * new AlarmNotifications(stack, "Alarms", { topicArn: oncall.arn }); // yours
 * ```
 */
export class AlarmNotifications extends Construct {
  /** The actions every AlarmNotifications above or beside `scope` contributes. */
  static actionsFor(scope: IConstruct): string[] {
    const actions: string[] = [];
    // Each scope's notifications in the order they were added: the order of its children.
    for (let at: IConstruct | undefined = scope; at; at = at.node.scope) {
      for (const child of notificationsIn.get(at) ?? []) if (at.node.tryFindChild(child.node.id) === child) actions.push(child.topicArn);
    }
    return actions;
  }

  /** The new topic; absent when `topicArn` named an existing one. */
  readonly topic?: SnsTopic;
  /** The ARN every alarm in scope notifies: `props.topicArn`, or the new topic's. */
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmNotificationsProps = {}) {
    super(scope, id);
    notificationsIn.set(scope, [...(notificationsIn.get(scope) ?? []), this]);
    if (props.topicArn !== undefined) {
      this.topicArn = props.topicArn;
    } else {
      this.topic = new aws.SnsTopic(this, "Topic", {
        namePrefix: "siit-dc-alarms-",
        displayName: `SIIT-DC alarms of ${scope.node.path}`,
        kmsMasterKeyId: props.kmsMasterKeyId,
        tags: props.tags,
      });
      this.topicArn = this.topic.arn;
    }
  }
}

const silent = new WeakMap<TerraformStack, { path: string; actions: () => string[] }[]>();

/**
 * Registers health alarms whose actions `actions()` produces at synth; once per stack, an aspect
 * warns about those that notify nobody (a dead translator would go unnoticed but for the dashboard).
 */
export function registerHealthAlarms(owner: Construct, actions: () => string[]): void {
  const stack = TerraformStack.of(owner);
  let list = silent.get(stack);
  if (!list) {
    const entries: { path: string; actions: () => string[] }[] = [];
    list = entries;
    silent.set(stack, entries);
    Aspects.of(stack).add({
      visit(node: IConstruct) {
        if (node !== stack) return;
        const quiet = entries.filter((e) => e.actions().length === 0).map((e) => e.path);
        if (quiet.length) Annotations.of(stack).addWarning(silentAlarmsWarning(quiet));
      },
    });
  }
  list.push({ path: owner.node.path, actions });
}
