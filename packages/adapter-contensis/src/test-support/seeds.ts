import { CONTENSIS_DOCS_CUSTOM_DEFINITION } from "@workflow-sync/test-utils";

/*
 * Two Contensis definitions from the vendor's documentation, verbatim:
 * - DMH_APPROVAL: https://github.com/contensis/docs-management-http `model/workflow-definition.md` (the older shape:
 *   entryActions/exitActions, `{}` names of sysDelete, colours `blue`/`cyan` outside today's palettes).
 * - CUSTOM_ENTRY_APPROVAL: contensis.com "Workflow definition overview"
 *   (https://www.contensis.com/help-and-docs/apis/management-http/content/workflow-definitions) (the newer shape: validate,
 *   sysWorkflow, invokableWhen, allowUpdates, auditText).
 */

export const DMH_APPROVAL = {
  uuid: "ab08e6c8-a883-4d59-960d-eb0cdc75840f",
  id: "approvalWorkflow",
  projectId: "",
  name: {
    "en-GB": "Approval workflow",
  },
  description: {
    "en-GB": "The default workflow for entries with approval",
  },
  states: [
    {
      id: "draft",
      name: {
        "en-GB": "Draft",
      },
      entryActions: [],
      events: [
        {
          id: "sysUpdate",
          name: {
            "en-GB": "Save",
          },
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "blue",
          groupId: "save",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "submit",
          name: {
            "en-GB": "Send for approval",
          },
          description: {
            "en-GB": "Send the entry for approval",
          },
          transitionTo: "awaitingApproval",
          exitActions: [
            {
              invokeAction: "validateEntry",
            },
          ],
          color: "blue",
          groupId: "submitRevoke",
          uiAction: "navigateToEntryListing",
          parameters: [
            {
              id: "message",
              name: {
                "en-GB": "Add an optional message for the approver",
              },
              dataType: "string",
              dataFormat: null,
              description: {
                "en-GB": "The message included with the entry submission",
              },
              default: null,
              validations: {},
              editor: {
                id: "multiline",
                instructions: {
                  "en-GB": "Optionally include a message to let an approver understand your changes",
                },
                properties: null,
              },
            },
          ],
        },
        {
          id: "sysDelete",
          name: {},
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "blue",
          groupId: "delete",
          uiAction: "none",
          parameters: [],
        },
      ],
      color: "cyan",
      uiEditorView: "default",
    },
    {
      id: "awaitingApproval",
      name: {
        "en-GB": "Awaiting approval",
      },
      entryActions: [],
      events: [
        {
          id: "revoke",
          name: {
            "en-GB": "Revoke and edit",
          },
          description: {
            "en-GB": "Revoke the entry submission",
          },
          transitionTo: "draft",
          exitActions: [],
          color: "blue",
          groupId: "submitRevoke",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "decline",
          name: {
            "en-GB": "Decline",
          },
          description: {
            "en-GB": "Decline the entry for approval",
          },
          transitionTo: "declined",
          exitActions: [],
          color: "red",
          groupId: "approveDecline",
          uiAction: "navigateToEntryListing",
          parameters: [
            {
              id: "message",
              name: {
                "en-GB": "Add a message to explain to the author why this content is being declined",
              },
              dataType: "string",
              dataFormat: null,
              description: {
                "en-GB": "The decline reason",
              },
              default: null,
              validations: {
                required: {
                  message: {
                    "en-GB": "The decline reason is required",
                  },
                },
              },
              editor: {
                id: "multiline",
                instructions: {
                  "en-GB": "Include a message to let an approver know your changes",
                },
                properties: null,
              },
            },
          ],
        },
        {
          id: "approve",
          name: {
            "en-GB": "Approve",
          },
          description: {
            "en-GB": "Approve the entry changes for publishing",
          },
          transitionTo: "versionComplete",
          exitActions: [
            {
              invokeAction: "publishEntry",
            },
          ],
          color: "green",
          groupId: "approveDecline",
          uiAction: "navigateToEntryListing",
          parameters: [],
        },
        {
          id: "sysDelete",
          name: {},
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "blue",
          groupId: "delete",
          uiAction: "none",
          parameters: [],
        },
      ],
      color: "yellow",
      uiEditorView: "previousPublishedVersionCompare",
    },
    {
      id: "declined",
      name: {
        "en-GB": "Declined",
      },
      entryActions: [],
      events: [
        {
          id: "sysUpdate",
          name: {
            "en-GB": "Save",
          },
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "blue",
          groupId: "save",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "sysDelete",
          name: {},
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "blue",
          groupId: "delete",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "submit",
          name: {
            "en-GB": "Re-submit",
          },
          description: {
            "en-GB": "Re-submit the entry for approval",
          },
          transitionTo: "awaitingApproval",
          exitActions: [
            {
              invokeAction: "validateEntry",
            },
          ],
          color: "blue",
          groupId: "submitRevoke",
          uiAction: "navigateToEntryListing",
          parameters: [
            {
              id: "message",
              name: {
                "en-GB": "Message",
              },
              dataType: "string",
              dataFormat: null,
              description: {
                "en-GB": "The message included with the entry re-submission",
              },
              default: null,
              validations: {},
              editor: {
                id: "multiline",
                instructions: {
                  "en-GB": "Include a message to let an approver understand the reasons for the re-submisson",
                },
                properties: null,
              },
            },
          ],
        },
      ],
      color: "red",
      uiEditorView: "default",
    },
    {
      id: "versionComplete",
      name: {
        "en-GB": "",
      },
      entryActions: [],
      events: [
        {
          id: "sysUpdate",
          name: {
            "en-GB": "Save",
          },
          description: {},
          transitionTo: "draft",
          exitActions: null,
          color: "blue",
          groupId: "save",
          uiAction: "none",
          parameters: [],
        },
        {
          id: "sysDelete",
          name: {},
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "blue",
          groupId: "delete",
          uiAction: "none",
          parameters: [],
        },
      ],
      color: "green",
      uiEditorView: "default",
    },
  ],
  eventGroups: [
    {
      id: "save",
      name: {
        "en-GB": "Save",
      },
    },
    {
      id: "submitRevoke",
      name: {
        "en-GB": "Submit / revoke",
      },
    },
    {
      id: "approveDecline",
      name: {
        "en-GB": "Approve / decline",
      },
    },
    {
      id: "delete",
      name: {
        "en-GB": "Delete",
      },
    },
  ],
  isSystem: true,
  version: {
    createdBy: "",
    created: "0001-01-01T00:00:00",
    modifiedBy: "",
    modified: "0001-01-01T00:00:00",
    publishedBy: null,
    published: null,
    versionNo: null,
  },
};

/** The docs' "Workflow definition overview" example (one copy, in @workflow-sync/test-utils). */
export const CUSTOM_ENTRY_APPROVAL = CONTENSIS_DOCS_CUSTOM_DEFINITION;

/**
 * A richer definition than the docs show: several locales, fields in every representation (absent,
 * null, `{}`), an unknown field from a newer API, ids that are not neutral keys, several guards.
 */
export const RICH_DEFINITION = {
  id: "newsReview",
  uuid: "1f0c1c9e-5e0a-4c47-9c55-3d6e3c1f0a01",
  projectId: "website",
  name: { "en-GB": "News review", "fr-FR": "Relecture des actualités", "de-DE": "" },
  description: {},
  futureField: { anything: [1, 2, 3] },
  states: [
    {
      id: "draft",
      name: { "en-GB": "Draft", "fr-FR": "Brouillon" },
      events: [
        {
          id: "submit",
          name: { "en-GB": "Submit", "fr-FR": "Soumettre" },
          description: null,
          auditText: { "en-GB": "Submitted", "fr-FR": "Soumis" },
          transitionTo: "legal-check",
          color: "green",
          groupId: "submitRevoke",
          uiAction: "navigateToEntryListing",
          validate: true,
          parameters: [
            {
              id: "message",
              name: { "en-GB": "Message" },
              dataType: "string",
              dataFormat: null,
              description: {},
              default: null,
              validations: { required: { message: { "en-GB": "Say why", "fr-FR": "Dites pourquoi" } } },
              editor: { id: "multiline", instructions: {}, properties: null },
            },
            {
              id: "urgency-level",
              name: {},
              dataType: "integer",
              default: 3,
              validations: {},
              editor: { id: "multiline", instructions: { "en-GB": "1 to 5" }, properties: { rows: 2 } },
            },
            { id: "bare", name: { "en-GB": "Bare" } },
          ],
        },
        {
          id: "sysDelete",
          name: {},
          description: {},
          transitionTo: null,
          exitActions: null,
          color: "white",
          groupId: "delete",
          uiAction: "none",
          parameters: [],
        },
        { id: "note", name: { "en-GB": "Add a note" }, groupId: null, invokableWhen: [], parameters: null },
      ],
      color: "cobalt",
      uiEditorView: "default",
    },
    {
      id: "legal-check",
      name: { "en-GB": "Legal check" },
      events: [
        {
          id: "approve",
          name: { "en-GB": "Approve" },
          transitionTo: "sysWorkflow",
          validate: false,
          invokableWhen: [
            { field: "isScheduledForPublish()", equalTo: false },
            { field: "language", equalTo: "en-GB", note: "kept" },
          ],
          parameters: [],
        },
        {
          id: "reject",
          name: { "en-GB": "Reject" },
          transitionTo: "draft",
          exitActions: [{ invokeAction: "validateEntry" }],
          color: "red",
          parameters: [],
        },
      ],
      color: "cyan",
      allowUpdates: false,
      entryActions: [],
      extraStateField: true,
    },
    { id: "parked", name: { "en-GB": "Parked" }, color: null, allowUpdates: null },
  ],
  eventGroups: [
    { id: "submitRevoke", name: { "en-GB": "Submit / revoke", "fr-FR": "Soumettre / retirer" } },
    { id: "delete", name: {} },
  ],
  isSystem: false,
  version: {
    createdBy: "admin",
    created: "2024-01-01T00:00:00Z",
    modifiedBy: "admin",
    modified: "2024-01-02T00:00:00Z",
    publishedBy: "admin",
    published: "2024-01-02T00:00:00Z",
    versionNo: "1.0",
  },
};
