export { formatValue } from "./format.ts";
export {
  type ReportInput,
  type ReportNote,
  type ReportRequest,
  type ReportTarget,
  type ReportWorkflow,
  renderReportHtml,
} from "./html.ts";
export { renderDiffJson } from "./json.ts";
export { escapeMarkdown, markdownCode, type RenderMarkdownOptions, renderDiffMarkdown } from "./markdown.ts";
export { escapeMermaid, type RenderMermaidOptions, renderDiffMermaid, renderMermaid } from "./mermaid.ts";
export {
  CHANGE_STYLE,
  type ChangeMark,
  type DiffSvg,
  escapeXml,
  type RenderSvgOptions,
  renderDiffSvg,
  renderWorkflowSvg,
} from "./svg.ts";
export { type RenderTextOptions, renderDiffText } from "./text.ts";
