/**
 * Side-effect module: makes `require('@azure/functions-core')` resolve to src/local/functions-core.ts under
 * plain Node/tsx. Imported first by the host entry points, before anything can register a function.
 */
import { installFunctionsCoreModule } from '../functions-core';

installFunctionsCoreModule();
