import {
  contensisApprovalWorkflow,
  customEntryApprovalWorkflow,
  editorialWorkflow,
  kontentExampleWorkflow,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import {
  availableTransitions,
  checkEdit,
  type FireResult,
  fireTransition,
  GuardFailedError,
  MissingParameterError,
  NotPermittedError,
  StateNotEditableError,
  type TransitionError,
  UnknownStateError,
  UnknownTransitionError,
} from "./engine.ts";
import { WorkflowSyncError } from "./errors.ts";
import { Workflow } from "./model.ts";

const editorial = Workflow.parse(editorialWorkflow);
const approval = Workflow.parse(contensisApprovalWorkflow);
const custom = Workflow.parse(customEntryApprovalWorkflow);
const kontent = Workflow.parse(kontentExampleWorkflow);

const author = { roles: ["Author"] };
const editor = { roles: ["Editor"] };
const legal = { roles: ["Legal"] };
const managing = { roles: ["Managing editor"] };
const anyone = { roles: [] };

const keys = (transitions: readonly { key: string }[]) => transitions.map((transition) => transition.key);

/** The error of a failed result (fails the test when the result is ok). */
function errorOf(result: FireResult): TransitionError {
  if (result.ok) throw new Error(`expected a failure, got a move to ${result.to}`);
  return result.error;
}

describe("availableTransitions", () => {
  it("offers what the state's roles and the transition's roles both allow", () => {
    expect(keys(availableTransitions(editorial, "draft", author))).toEqual(["submit"]);
    expect(keys(availableTransitions(editorial, "editorial_review", editor))).toEqual([
      "reject",
      "send_to_legal",
    ]);
    expect(keys(availableTransitions(editorial, "editorial_review", managing))).toEqual([
      "reject",
      "send_to_legal",
      "fast_track",
    ]);
  });

  it("offers nothing when the state's roles exclude the actor", () => {
    expect(availableTransitions(editorial, "draft", legal)).toEqual([]);
    expect(availableTransitions(editorial, "legal_review", { roles: ["Editor", "Author"] })).toEqual([]);
  });

  it("treats empty role lists as no restriction", () => {
    expect(keys(availableTransitions(approval, "awaitingApproval", anyone))).toEqual([
      "revoke",
      "decline",
      "approve",
      "sysDelete",
    ]);
    // published has no state roles: new_version is open to all, unpublish needs a managing editor
    expect(keys(availableTransitions(editorial, "published", author))).toEqual(["new_version"]);
  });

  it("judges guards only when facts are given; a missing fact fails the guard", () => {
    expect(keys(availableTransitions(editorial, "editorial_review", managing, { urgent: true }))).toContain(
      "fast_track",
    );
    expect(
      keys(availableTransitions(editorial, "editorial_review", managing, { urgent: false })),
    ).not.toContain("fast_track");
    expect(keys(availableTransitions(editorial, "editorial_review", managing, {}))).not.toContain(
      "fast_track",
    );
    expect(
      keys(availableTransitions(custom, "awaitingApproval", anyone, { "isScheduledForPublish()": true })),
    ).toEqual(["revoke", "decline", "scheduledApprove"]);
    expect(keys(availableTransitions(custom, "awaitingApproval", anyone))).toEqual([
      "revoke",
      "decline",
      "approve",
      "scheduledApprove",
    ]);
  });

  it("throws UnknownStateError for a state the workflow does not have", () => {
    expect(() => availableTransitions(editorial, "drafts", author)).toThrow(UnknownStateError);
  });
});

describe("fireTransition", () => {
  it("moves content along a permitted transition", () => {
    const result = fireTransition(editorial, { state: "draft", transition: "submit", actor: author });
    expect(result).toMatchObject({ ok: true, from: "draft", to: "editorial_review" });
    if (result.ok) expect(result.transition.key).toBe("submit");
  });

  it("keeps content where it is for a stay transition (to: null)", () => {
    expect(
      fireTransition(approval, { state: "draft", transition: "sysUpdate", actor: anyone }),
    ).toMatchObject({
      ok: true,
      from: "draft",
      to: "draft",
    });
  });

  it("fires the implicit Kontent.ai transitions with their roles", () => {
    expect(
      fireTransition(kontent, { state: "published", transition: "unpublish", actor: { roles: ["Editor"] } }),
    ).toMatchObject({ ok: true, to: "archived" });
    expect(
      errorOf(fireTransition(kontent, { state: "archived", transition: "restore", actor: anyone })).code,
    ).toBe("not_permitted");
  });

  it("unknown_state: names the state and the states there are", () => {
    const error = errorOf(
      fireTransition(editorial, { state: "drafts", transition: "submit", actor: author }),
    );
    expect(error).toBeInstanceOf(UnknownStateError);
    expect(error).toBeInstanceOf(WorkflowSyncError);
    expect(error.code).toBe("unknown_state");
    expect(error.message).toBe(
      'workflow "editorial" has no state "drafts" (states: draft, editorial_review, legal_review, ready, published, scheduled, archived)',
    );
  });

  it("unknown_transition: lists what is available from that state", () => {
    const error = errorOf(
      fireTransition(editorial, { state: "editorial_review", transition: "publish", actor: editor }),
    );
    expect(error).toBeInstanceOf(UnknownTransitionError);
    expect(error.code).toBe("unknown_transition");
    expect((error as UnknownTransitionError).available).toEqual(["reject", "send_to_legal", "fast_track"]);
    expect(error.message).toBe(
      'no transition "publish" leaves state "editorial_review"; available from "editorial_review": reject, send_to_legal, fast_track',
    );
    const none = errorOf(
      fireTransition(editorial, { state: "scheduled", transition: "publish", actor: editor }),
    );
    expect(none.message).toBe('no transition "publish" leaves state "scheduled": no transitions leave it');
  });

  it("not_permitted: names the roles of the transition that may fire it", () => {
    const error = errorOf(
      fireTransition(editorial, { state: "ready", transition: "publish", actor: { roles: [] } }),
    );
    expect(error).toBeInstanceOf(NotPermittedError);
    expect(error.code).toBe("not_permitted");
    expect(error.message).toBe(
      'an actor without roles may not fire "publish" (Publish) from state "ready": it needs one of the roles ' +
        '"Managing editor" of state "ready" and one of the roles "Managing editor" of transition "publish"',
    );
    const editorTries = errorOf(
      fireTransition(editorial, { state: "editorial_review", transition: "fast_track", actor: editor }),
    ) as NotPermittedError;
    expect(editorTries.message).toBe(
      'an actor with roles "Editor" may not fire "fast_track" (Publish now (urgent)) from state "editorial_review": ' +
        'it needs one of the roles "Managing editor" of transition "fast_track"',
    );
    expect(editorTries.transitionRoles).toEqual(["Managing editor"]);
    expect(editorTries.stateRoles).toEqual(["Editor", "Managing editor"]);
  });

  it("not_permitted: names the state's roles when they exclude the actor", () => {
    const error = errorOf(
      fireTransition(editorial, { state: "legal_review", transition: "clear", actor: editor }),
    );
    expect(error.message).toBe(
      'an actor with roles "Editor" may not fire "clear" (Clear) from state "legal_review": it needs one of the ' +
        'roles "Legal" of state "legal_review"',
    );
  });

  it("guard_failed: names the condition and the value found", () => {
    const error = errorOf(
      fireTransition(custom, {
        state: "awaitingApproval",
        transition: "approve",
        actor: anyone,
        facts: { "isScheduledForPublish()": true },
      }),
    );
    expect(error).toBeInstanceOf(GuardFailedError);
    expect(error.code).toBe("guard_failed");
    expect(error.message).toBe(
      'transition "approve" from "awaitingApproval" is guarded: isScheduledForPublish() must equal false, but it is true',
    );
    expect((error as GuardFailedError).condition).toEqual({
      field: "isScheduledForPublish()",
      equals: false,
    });
  });

  it("guard_failed: a missing fact fails the guard, and says which", () => {
    for (const facts of [undefined, {}, { other: 1 }]) {
      const error = errorOf(
        fireTransition(editorial, {
          state: "editorial_review",
          transition: "fast_track",
          actor: managing,
          ...(facts === undefined ? {} : { facts }),
        }),
      ) as GuardFailedError;
      expect(error.code).toBe("guard_failed");
      expect(error.factMissing).toBe(true);
      expect(error.message).toBe(
        'transition "fast_track" from "editorial_review" is guarded: urgent must equal true, but no fact "urgent" was given',
      );
    }
    expect(
      fireTransition(editorial, {
        state: "editorial_review",
        transition: "fast_track",
        actor: managing,
        facts: { urgent: true },
      }),
    ).toMatchObject({ ok: true, to: "published" });
  });

  it("guard_failed: equality is strict (the string 'false' is not false)", () => {
    const error = errorOf(
      fireTransition(custom, {
        state: "awaitingApproval",
        transition: "approve",
        actor: anyone,
        facts: { "isScheduledForPublish()": "false" },
      }),
    );
    expect(error.message).toContain('but it is "false"');
  });

  it("missing_parameter: carries the parameter's own requiredMessage", () => {
    const error = errorOf(
      fireTransition(approval, { state: "awaitingApproval", transition: "decline", actor: anyone }),
    );
    expect(error).toBeInstanceOf(MissingParameterError);
    expect(error.code).toBe("missing_parameter");
    expect(error.message).toBe("The decline reason is required");
    expect((error as MissingParameterError).parameter).toBe("message");
  });

  it("missing_parameter: in the requested locale, else the first locale", () => {
    const request = { state: "editorial_review", transition: "reject", actor: editor };
    expect(errorOf(fireTransition(editorial, { ...request, locale: "de-DE" })).message).toBe(
      "Bitte begründen Sie die Ablehnung",
    );
    expect(errorOf(fireTransition(editorial, { ...request, locale: "en-GB" })).message).toBe(
      "Give the author a reason for the rejection",
    );
    // no locale, or one the text lacks: the first locale in sorted order (de-DE)
    expect(errorOf(fireTransition(editorial, { ...request, locale: "fr-FR" })).message).toBe(
      "Bitte begründen Sie die Ablehnung",
    );
  });

  it("missing_parameter: empty or blank values are missing; a given value passes", () => {
    const request = { state: "awaitingApproval", transition: "decline", actor: anyone };
    for (const message of [null, "", "   "]) {
      expect(errorOf(fireTransition(approval, { ...request, data: { message } })).code).toBe(
        "missing_parameter",
      );
    }
    expect(fireTransition(approval, { ...request, data: { message: "Needs sources" } })).toMatchObject({
      ok: true,
      to: "declined",
    });
  });

  it("missing_parameter: lists every missing one and falls back to a message naming the parameter", () => {
    const workflow = Workflow.parse({
      ...editorialWorkflow,
      transitions: [
        {
          key: "submit",
          from: "draft",
          to: "editorial_review",
          name: { "en-GB": "Submit" },
          parameters: [
            { key: "summary", name: { "en-GB": "Summary" }, required: true },
            { key: "channel", name: { "en-GB": "Channel" }, required: true, default: "web" },
            { key: "ticket", name: { "en-GB": "Ticket" }, required: true },
          ],
        },
      ],
    });
    const error = errorOf(fireTransition(workflow, { state: "draft", transition: "submit", actor: author }));
    expect(error.message).toBe('transition "submit" from "draft" requires the parameter "summary" (Summary)');
    expect((error as MissingParameterError).missing).toEqual(["summary", "ticket"]);
  });

  it("optional parameters may be left out", () => {
    expect(fireTransition(approval, { state: "draft", transition: "submit", actor: anyone }).ok).toBe(true);
  });

  it("checks in order: transition, roles, guard, parameters", () => {
    // an unknown transition is reported even to an actor who could not fire anything
    expect(
      errorOf(fireTransition(editorial, { state: "draft", transition: "nope", actor: legal })).code,
    ).toBe("unknown_transition");
    // roles before guard: an Editor trying the guarded fast track without facts is refused for roles
    expect(
      errorOf(
        fireTransition(editorial, { state: "editorial_review", transition: "fast_track", actor: editor }),
      ).code,
    ).toBe("not_permitted");
    // guard before parameters
    const guarded = Workflow.parse({
      ...customEntryApprovalWorkflow,
      transitions: [
        {
          key: "approve",
          from: "awaitingApproval",
          to: "published",
          name: { "en-GB": "Approve" },
          guard: { all: [{ field: "ok", equals: true }] },
          parameters: [
            { key: "why", name: { "en-GB": "Why" }, required: true, requiredMessage: { "en-GB": "Why?" } },
          ],
        },
      ],
    });
    expect(
      errorOf(fireTransition(guarded, { state: "awaitingApproval", transition: "approve", actor: anyone }))
        .code,
    ).toBe("guard_failed");
  });
});

describe("checkEdit", () => {
  it("allows editing in an editable state the actor may work in", () => {
    expect(checkEdit(editorial, "draft", author)).toBeUndefined();
    expect(checkEdit(approval, "declined", anyone)).toBeUndefined();
  });

  it("state_not_editable: a state with editable: false", () => {
    const error = checkEdit(custom, "awaitingApproval", anyone);
    expect(error).toBeInstanceOf(StateNotEditableError);
    expect(error?.code).toBe("state_not_editable");
    expect(error?.message).toBe(
      'content in state "awaitingApproval" (Awaiting approval) cannot be edited: the state has editable: false',
    );
    expect(checkEdit(editorial, "legal_review", legal)?.code).toBe("state_not_editable");
  });

  it("not_permitted: the state's roles exclude the actor", () => {
    const error = checkEdit(editorial, "draft", legal);
    expect(error).toBeInstanceOf(NotPermittedError);
    expect(error?.message).toBe(
      'an actor with roles "Legal" may not edit content in state "draft": it needs one of the roles "Author", "Editor" of state "draft"',
    );
    expect((error as NotPermittedError).transition).toBeUndefined();
  });

  it("unknown_state", () => {
    expect(checkEdit(editorial, "nowhere", author)?.code).toBe("unknown_state");
  });
});

describe("TransitionError", () => {
  it("is a union keyed by code: every member has its own stable code", () => {
    const describeError = (error: TransitionError): string => {
      switch (error.code) {
        case "unknown_state":
          return `state ${error.state}`;
        case "unknown_transition":
          return `available ${error.available.join(",")}`;
        case "not_permitted":
          return `roles ${error.transitionRoles.join(",")}`;
        case "missing_parameter":
          return `parameter ${error.parameter}`;
        case "guard_failed":
          return `condition ${error.condition.field}`;
        case "state_not_editable":
          return `state ${error.state}`;
      }
    };
    expect(
      describeError(
        errorOf(
          fireTransition(approval, { state: "awaitingApproval", transition: "decline", actor: anyone }),
        ),
      ),
    ).toBe("parameter message");
    const names = [
      new UnknownStateError(editorial, "x"),
      new UnknownTransitionError("draft", "x", []),
      new NotPermittedError(editorial.states[0]!, undefined, []),
      new MissingParameterError("draft", editorial.transitions[1]!, ["reason"]),
      new GuardFailedError("a", "b", { field: "f", equals: 1 }, true),
      new StateNotEditableError(editorial.states[2]!),
    ].map((error) => [error.name, error.code]);
    expect(names).toEqual([
      ["UnknownStateError", "unknown_state"],
      ["UnknownTransitionError", "unknown_transition"],
      ["NotPermittedError", "not_permitted"],
      ["MissingParameterError", "missing_parameter"],
      ["GuardFailedError", "guard_failed"],
      ["StateNotEditableError", "state_not_editable"],
    ]);
  });
});
