import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as i}from"./chunk-3IJ7ERXY.js";var o=new TextDecoder("utf-8",{fatal:!0});function d(t){if(t[0]!==12||t.length<2)return;let f=t[1]??0,e=f,u=2;if(f&128){let n=f&127;if(n===0||n>3||t.length<2+n)return;e=0;for(let r=0;r<n;r++)e=e*256+(t[2+r]??0);u=2+n}if(u+e!==t.length)return;let c=t.subarray(u);try{return o.decode(c)}catch{return}}i(d,"decodeUTF8String");export{d as a};
