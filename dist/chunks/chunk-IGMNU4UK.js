import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as o}from"./chunk-TR6PKQFZ.js";import{a as r}from"./chunk-3IJ7ERXY.js";var i="GitHub Actions artifact service",n=/["':<>|*?\r\n\\/]/;function c(t,e="artifact name"){if(t.trim()===""||n.test(t))throw new o("INPUT_INVALID",`${e} "${t}" cannot be used for a ${i} artifact`,'Use a non-empty name without " : < > | * ? \\ / or line breaks')}r(c,"checkArtifactName");export{i as a,n as b,c};
