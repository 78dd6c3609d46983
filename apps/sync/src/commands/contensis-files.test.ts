import { CONTENSIS_DOCS_CUSTOM_DEFINITION } from "@workflow-sync/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { testCommand } from "../../test/support/test-command.ts";
import { tempWorkspace } from "../../test/support/workspace.ts";

/*
 * Contensis definitions in files (issue 12, items 2 and 3): every vendor rule is checked with the
 * vendor's field path, ids are never renamed, and `isSystem` from a file is not trusted.
 */

type Definition = {
  states: Array<{ events: Array<Record<string, unknown> & { parameters: Array<Record<string, unknown>> }> }>;
};
const docs = () => JSON.parse(JSON.stringify(CONTENSIS_DOCS_CUSTOM_DEFINITION)) as Definition;

describe("Contensis definition files", () => {
  let workspace: ReturnType<typeof tempWorkspace>;
  afterEach(() => workspace?.cleanup());

  it("the docs' custom example (isSystem: true) validates, and converts as a custom definition", async () => {
    workspace = tempWorkspace({ "custom.json": docs() });
    const validate = await testCommand(["validate", "custom.json", "--vendor", "contensis", "--strict"], {
      cwd: workspace.root,
    });
    expect(validate.stdout).toContain("1 workflow valid");
    expect(validate.exitCode).toBe(0);
    const convert = await testCommand(["convert", "custom.json", "--to", "contensis"], {
      cwd: workspace.root,
    });
    expect(convert.exitCode).toBe(0);
    expect(JSON.parse(convert.stdout)).not.toHaveProperty("isSystem");
    expect(convert.stderr).toBe("");
  });

  const cases: Array<[string, (definition: Definition) => void, RegExp]> = [
    [
      "a duplicate event id in one state",
      (d) => d.states[1]!.events.push(JSON.parse(JSON.stringify(d.states[1]!.events[2]))),
      /error states\[1\]\.events\[4\]\.id: event id "approve" is already used by states\[1\]\.events\[2\]/,
    ],
    [
      "an id with _",
      (d) => {
        d.states[0]!.events[0]!.id = "send_for_approval";
      },
      /error states\[0\]\.events\[0\]\.id: a Contensis event id .*"send_for_approval"/,
    ],
    [
      "an id over the length limit",
      (d) => {
        d.states[0]!.events[0]!.id = "a".repeat(31);
      },
      /error states\[0\]\.events\[0\]\.id: .* is 31 characters/,
    ],
    [
      "an event without groupId",
      (d) => {
        delete d.states[0]!.events[0]!.groupId;
      },
      /error states\[0\]\.events\[0\]\.groupId: event "submit" has no groupId/,
    ],
    [
      "a parameter editor other than multiline",
      (d) => {
        (d.states[0]!.events[0]!.parameters[0]!.editor as { id: string }).id = "richtext";
      },
      /error states\[0\]\.events\[0\]\.parameters\[0\]\.editor\.id: "richtext"/,
    ],
    [
      "an unknown event colour",
      (d) => {
        d.states[0]!.events[0]!.color = "purple";
      },
      /error states\[0\]\.events\[0\]\.color: "purple" is not a Contensis event button colour/,
    ],
    [
      "an unknown exit action",
      (d) => {
        d.states[0]!.events[0]!.exitActions = [{ invokeAction: "sendEmail" }];
      },
      /error states\[0\]\.events\[0\]\.exitActions\[0\]\.invokeAction: "sendEmail"/,
    ],
  ];

  it.each(cases)(
    "validate refuses %s (exit 1, vendor path), and convert never renames",
    async (_name, edit, message) => {
      const definition = docs();
      edit(definition);
      workspace = tempWorkspace({ "definition.json": definition });
      const validate = await testCommand(["validate", "definition.json", "--vendor", "contensis"], {
        cwd: workspace.root,
      });
      expect(validate.exitCode).toBe(1);
      expect(validate.stdout).toMatch(message);
      expect(validate.stdout).toContain("[contensis]");
      const convert = await testCommand(["convert", "definition.json", "--to", "contensis"], {
        cwd: workspace.root,
      });
      expect(convert.exitCode).toBe(1);
      expect(convert.stdout).toBe("");
    },
  );

  it("Contensis → Kontent.ai names: the source's primary language, or --locale; colours to the nearest, reported", async () => {
    const definition = docs() as unknown as {
      name: Record<string, string>;
      states: Array<{ name: Record<string, string> }>;
    };
    // en-GB first (the primary language), de-DE second: alphabetically German would come first
    definition.name = { "en-GB": "Custom Approval workflow", "de-DE": "Eigener Freigabe-Ablauf" };
    definition.states[0]!.name = { "en-GB": "Draft", "de-DE": "Entwurf" };
    workspace = tempWorkspace({ "custom.json": definition });
    const english = await testCommand(["convert", "custom.json", "--to", "kontent"], { cwd: workspace.root });
    expect(english.exitCode).toBe(0);
    const body = JSON.parse(english.stdout) as {
      name: string;
      steps: Array<{ name: string; color: string }>;
    };
    expect(body.name).toBe("Custom Approval workflow");
    expect(body.steps[0]!.name).toBe("Draft");
    expect(english.stderr).toMatch(/loss: CustomEntryApproval\.name: .*kept "en-GB", dropped de-DE/);
    // cobalt (draft) is no Kontent.ai colour: the nearest, reported
    expect(body.steps[0]!.color).toBe("dark-blue");
    expect(english.stderr).toMatch(/colour "cobalt" is not in Kontent.ai's palette; mapped to "dark-blue"/);
    // an event's button colour has no place in Kontent.ai: the loss line names it
    expect(english.stderr).toMatch(
      /contensis extensions have no place in Kontent.ai \(dropped: color "green"/,
    );
    const german = await testCommand(["convert", "custom.json", "--to", "kontent", "--locale", "de-DE"], {
      cwd: workspace.root,
    });
    expect(JSON.parse(german.stdout).name).toBe("Eigener Freigabe-Ablauf");
    expect(JSON.parse(german.stdout).steps[0].name).toBe("Entwurf");
  });
});
