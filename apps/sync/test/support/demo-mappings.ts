/*
 * The --map files that carry the simulators' demo data across vendors (role and content type names
 * differ between the two demo seeds). Shared by the journeys and the fault suite.
 */

/** Contensis roles and content types → Kontent.ai ones. */
export const CONTENSIS_TO_KONTENT = [
  "roles:",
  "  Authors: Contributor",
  "  Approvers: Reviewer",
  "  Legal reviewers: Legal",
  "  Editors-in-chief: Project manager",
  "contentTypes:",
  "  pressRelease: article",
  "  legalNotice: product",
  "  newsArticle: news",
  "  blogPost: landing_page",
  "",
].join("\n");

/** Kontent.ai roles and content types → Contensis ones. */
export const KONTENT_TO_CONTENSIS = [
  "roles:",
  "  Contributor: Authors",
  "  Reviewer: Approvers",
  "  Legal: Legal reviewers",
  "  Project manager: Editors-in-chief",
  "  Marketing lead: Editors-in-chief",
  "contentTypes:",
  "  article: pressRelease",
  "  product: legalNotice",
  "  landing_page: blogPost",
  "  news: newsArticle",
  "",
].join("\n");
