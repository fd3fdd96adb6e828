#!/usr/bin/env bash
# Makes the README's dashboard screenshots: runs DashboardScreenshotTests (the whole app on a throw-away PostgreSQL,
# its dashboard driven in Debian's Chromium by Playwright) and copies what it saw to docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEVLAUNCHER_SCREENSHOT_DIR="$PWD/docs"
mkdir -p "$DEVLAUNCHER_SCREENSHOT_DIR"
dotnet test DevLauncher.AppHost.Tests --filter "FullyQualifiedName~DashboardScreenshotTests"
ls -l "$DEVLAUNCHER_SCREENSHOT_DIR"/dashboard-*.png
