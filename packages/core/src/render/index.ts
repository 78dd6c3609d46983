export { formatValue } from "./format.ts";
export { renderDiffJson } from "./json.ts";
export { escapeMarkdown, markdownCode, type RenderMarkdownOptions, renderDiffMarkdown } from "./markdown.ts";
export { escapeMermaid, type RenderMermaidOptions, renderDiffMermaid, renderMermaid } from "./mermaid.ts";
export { type RenderTextOptions, renderDiffText } from "./text.ts";
