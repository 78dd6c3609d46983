import type {
  EventGroup,
  WorkflowDefinition,
  WorkflowEvent,
  WorkflowParameter,
  WorkflowState,
} from "./types.ts";
import { stableUuid } from "./util.ts";

/**
 * The two predefined workflow definitions that exist in every project and "cannot be modified"
 * (DMH `model/workflow-definition.md`; the contensis.com "Workflow definition overview",
 * https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions).
 *
 * Sources and assumptions:
 * - contensisEntryApproval follows DMH's `approvalWorkflow` example (DMH
 *   `model/workflow-definition.md`, https://github.com/contensis/docs-management-http, `isSystem: true`): states draft, awaitingApproval,
 *   declined, versionComplete, the old `exitActions`/`entryActions` shape, the legacy colours
 *   `blue`/`cyan`, and the zeroed `version` block with `versionNo: null`.
 *   ASSUMPTION: the `scheduledApprove` event and the `scheduled` state (events `cancel`,
 *   `publishNow`) come from the action list of CD `management-http/security/roles/create-a-role.md`
 *   (`contensisEntryApproval.awaitingApproval.scheduledApprove`, `…scheduled.cancel`,
 *   `…scheduled.publishNow`); their names, targets and the `invokableWhen` guards on approve /
 *   scheduledApprove are modelled on the documented CustomEntryApproval example.
 * - contensisEntryBasic: its JSON is not published. Documented: events `draft.publish` and
 *   `sysUnpublish` (CD `management-http/key-concepts/workflow.md`), and an entry published with it
 *   sits in state `versionComplete` (entry sample with `"id": "contensisEntryBasic", "state":
 *   "versionComplete"`, indexed Contensis Canvas design note). ASSUMPTION: the rest (names, colours,
 *   groups, sysUpdate/sysDelete events) mirrors the approval example.
 * - `sysUnpublish` is a workflow-level event (role action `contensisEntryApproval.sysUnpublish`),
 *   not an event of any state; the engine handles it.
 */

const SYSTEM_VERSION = {
  createdBy: "",
  created: "0001-01-01T00:00:00",
  modifiedBy: "",
  modified: "0001-01-01T00:00:00",
  publishedBy: null,
  published: null,
  versionNo: null,
};

function sysEvent(id: "sysUpdate" | "sysDelete", transitionTo: string | null = null): WorkflowEvent {
  return {
    id,
    name: id === "sysUpdate" ? { "en-GB": "Save" } : {},
    description: {},
    transitionTo,
    exitActions: null,
    color: "blue",
    groupId: id === "sysUpdate" ? "save" : "delete",
    uiAction: "none",
    parameters: [],
  };
}

function messageParameter(
  name: string,
  description: string,
  instructions: string,
  required?: string,
): WorkflowParameter {
  return {
    id: "message",
    name: { "en-GB": name },
    dataType: "string",
    dataFormat: null,
    description: { "en-GB": description },
    default: null,
    validations: required ? { required: { message: { "en-GB": required } } } : {},
    editor: { id: "multiline", instructions: { "en-GB": instructions }, properties: null },
  };
}

const SAVE: EventGroup = { id: "save", name: { "en-GB": "Save" } };
const DELETE: EventGroup = { id: "delete", name: { "en-GB": "Delete" } };

function basicStates(): WorkflowState[] {
  return [
    {
      id: "draft",
      name: { "en-GB": "Draft" },
      entryActions: [],
      events: [
        sysEvent("sysUpdate"),
        {
          id: "publish",
          name: { "en-GB": "Publish" },
          description: { "en-GB": "Publish the entry" },
          transitionTo: "versionComplete",
          exitActions: [{ invokeAction: "validateEntry" }, { invokeAction: "publishEntry" }],
          color: "green",
          groupId: "publish",
          uiAction: "navigateToEntryListing",
          parameters: [],
        },
        sysEvent("sysDelete"),
      ],
      color: "cyan",
      uiEditorView: "default",
    },
    {
      id: "versionComplete",
      name: { "en-GB": "" },
      entryActions: [],
      events: [sysEvent("sysUpdate", "draft"), sysEvent("sysDelete")],
      color: "green",
      uiEditorView: "default",
    },
  ];
}

function approvalStates(): WorkflowState[] {
  const submit = (name: string, description: string, parameter: WorkflowParameter): WorkflowEvent => ({
    id: "submit",
    name: { "en-GB": name },
    description: { "en-GB": description },
    transitionTo: "awaitingApproval",
    exitActions: [{ invokeAction: "validateEntry" }],
    color: "blue",
    groupId: "submitRevoke",
    uiAction: "navigateToEntryListing",
    parameters: [parameter],
  });
  const approveLike = (
    id: string,
    name: string,
    transitionTo: string,
    scheduled: boolean,
  ): WorkflowEvent => ({
    id,
    name: { "en-GB": name },
    description: { "en-GB": "Approve the entry changes for publishing" },
    transitionTo,
    exitActions: scheduled ? [] : [{ invokeAction: "publishEntry" }],
    color: "green",
    groupId: "approveDecline",
    uiAction: "navigateToEntryListing",
    parameters: [],
    invokableWhen: [{ field: "isScheduledForPublish()", equalTo: scheduled }],
  });
  return [
    {
      id: "draft",
      name: { "en-GB": "Draft" },
      entryActions: [],
      events: [
        sysEvent("sysUpdate"),
        submit(
          "Send for approval",
          "Send the entry for approval",
          messageParameter(
            "Add an optional message for the approver",
            "The message included with the entry submission",
            "Optionally include a message to let an approver understand your changes",
          ),
        ),
        sysEvent("sysDelete"),
      ],
      color: "cyan",
      uiEditorView: "default",
    },
    {
      id: "awaitingApproval",
      name: { "en-GB": "Awaiting approval" },
      entryActions: [],
      events: [
        {
          id: "revoke",
          name: { "en-GB": "Revoke and edit" },
          description: { "en-GB": "Revoke the entry submission" },
          transitionTo: "draft",
          exitActions: [],
          color: "blue",
          groupId: "submitRevoke",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "decline",
          name: { "en-GB": "Decline" },
          description: { "en-GB": "Decline the entry for approval" },
          transitionTo: "declined",
          exitActions: [],
          color: "red",
          groupId: "approveDecline",
          uiAction: "navigateToEntryListing",
          parameters: [
            messageParameter(
              "Add a message to explain to the author why this content is being declined",
              "The decline reason",
              "Include a message to let an approver know your changes",
              "The decline reason is required",
            ),
          ],
        },
        approveLike("approve", "Approve", "versionComplete", false),
        approveLike("scheduledApprove", "Approve and schedule", "scheduled", true),
        sysEvent("sysDelete"),
      ],
      color: "yellow",
      uiEditorView: "previousPublishedVersionCompare",
    },
    {
      id: "declined",
      name: { "en-GB": "Declined" },
      entryActions: [],
      events: [
        sysEvent("sysUpdate"),
        sysEvent("sysDelete"),
        submit(
          "Re-submit",
          "Re-submit the entry for approval",
          messageParameter(
            "Message",
            "The message included with the entry re-submission",
            "Include a message to let an approver understand the reasons for the re-submisson",
          ),
        ),
      ],
      color: "red",
      uiEditorView: "default",
    },
    {
      id: "scheduled",
      name: { "en-GB": "Due for publishing" },
      entryActions: [],
      events: [
        {
          id: "cancel",
          name: { "en-GB": "Cancel schedule" },
          description: { "en-GB": "Cancel the scheduled publish" },
          transitionTo: "draft",
          exitActions: [],
          color: "red",
          groupId: "approveDecline",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "publishNow",
          name: { "en-GB": "Publish now" },
          description: { "en-GB": "Publish the entry now" },
          transitionTo: "versionComplete",
          exitActions: [{ invokeAction: "publishEntry" }],
          color: "green",
          groupId: "approveDecline",
          uiAction: "navigateToEntryListing",
          parameters: [],
        },
        sysEvent("sysDelete"),
      ],
      color: "orange",
      uiEditorView: "default",
    },
    {
      id: "versionComplete",
      name: { "en-GB": "" },
      entryActions: [],
      events: [sysEvent("sysUpdate", "draft"), sysEvent("sysDelete")],
      color: "green",
      uiEditorView: "default",
    },
  ];
}

export const SYSTEM_DEFINITION_IDS = ["contensisEntryBasic", "contensisEntryApproval"] as const;

export function systemDefinitions(projectId: string): WorkflowDefinition[] {
  return [
    {
      uuid: stableUuid("contensis-simulator", projectId, "contensisEntryBasic"),
      id: "contensisEntryBasic",
      projectId,
      name: { "en-GB": "Basic workflow" },
      description: { "en-GB": "The default workflow for entries: author, then publish" },
      states: basicStates(),
      eventGroups: [SAVE, { id: "publish", name: { "en-GB": "Publish" } }, DELETE],
      isSystem: true,
      version: { ...SYSTEM_VERSION },
    },
    {
      uuid: stableUuid("contensis-simulator", projectId, "contensisEntryApproval"),
      id: "contensisEntryApproval",
      projectId,
      name: { "en-GB": "Approval workflow" },
      description: { "en-GB": "The default workflow for entries with approval" },
      states: approvalStates(),
      eventGroups: [
        SAVE,
        { id: "submitRevoke", name: { "en-GB": "Submit / revoke" } },
        { id: "approveDecline", name: { "en-GB": "Approve / decline" } },
        DELETE,
      ],
      isSystem: true,
      version: { ...SYSTEM_VERSION },
    },
  ];
}
