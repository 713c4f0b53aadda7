#!/usr/bin/env bash
# Builds self-contained single-file `jirasync` binaries (no .NET needed where they run) into dist/<rid>/,
# each with the tap-jirasync entry point beside it. Usage: scripts/publish.sh [RID...]
# (default: linux-x64 linux-arm64 osx-arm64 win-x64). DuckDB's native library for the RID is bundled into the file
# and unpacked on first run (IncludeNativeLibrariesForSelfExtract).
# For this machine's own RID, tap-jirasync is the Native AOT tap (src/JiraSync.Tap): no JIT, a third of the CPU.
# Native AOT cannot cross-compile to another OS and needs a C toolchain for the link (clang, or gcc, which the SDK
# falls back to); other RIDs get the script that runs `jirasync tap`.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux-x64 ;; Linux-aarch64) host=linux-arm64 ;; Darwin-arm64) host=osx-arm64 ;; *) host="" ;;
esac
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 osx-arm64 win-x64)
failed=()
for rid in "${rids[@]}"; do
  out="$root/dist/$rid"
  echo "publishing $rid -> dist/$rid" >&2
  rm -rf "$out"
  # A separate artifacts folder per RID keeps these restores out of the normal build's obj/ folders.
  if dotnet publish "$root/src/JiraSync.Cli/JiraSync.Cli.csproj" -c Release -r "$rid" --self-contained \
       --artifacts-path "$root/dist/.build/$rid" -o "$out" -nologo -v quiet \
       -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true \
       -p:DebugType=none -p:GenerateDocumentationFile=false >&2; then
    case "$rid" in
      win-*) mv "$out/JiraSync.Cli.exe" "$out/jirasync.exe"
             printf '@echo off\r\n"%%~dp0jirasync.exe" tap %%*\r\n' > "$out/tap-jirasync.cmd" ;;
      *)     mv "$out/JiraSync.Cli" "$out/jirasync"; cp "$root/tap-jirasync" "$out/tap-jirasync" ;;
    esac
    if [ "$rid" = "$host" ]; then
      echo "publishing the Native AOT tap-jirasync for $rid" >&2
      if bash "$root/scripts/native-toolchain.sh" && dotnet publish "$root/src/JiraSync.Tap/JiraSync.Tap.csproj" -c Release -r "$rid" \
           --artifacts-path "$root/dist/.build/$rid-tap" -o "$root/dist/.build/$rid-tap/out" -nologo -v quiet \
           -p:GenerateDocumentationFile=false >&2; then
        cp "$root/dist/.build/$rid-tap/out/tap-jirasync" "$out/tap-jirasync"
      else
        failed+=("$rid (Native AOT tap-jirasync)")
      fi
    fi
    ls -l "$out" >&2
  else
    failed+=("$rid")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then echo "error: could not publish ${failed[*]} (see above)" >&2; exit 1; fi
