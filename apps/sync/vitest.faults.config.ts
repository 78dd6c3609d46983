import { faultsConfig } from "../../vitest.shared.ts";

export default faultsConfig(import.meta.dirname);
