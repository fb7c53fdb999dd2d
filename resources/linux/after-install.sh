#!/bin/bash
# After the deb (or rpm) installs Bridgekeep in /opt. electron-builder fills in the ${...} macros
# (shell variables here are written without braces for that reason). A custom script replaces
# electron-builder's own, so its steps for the app are kept below; only the command link differs.

# `bridgekeep` on PATH is the command-line tool (the single executable in resources/cli), not the
# Electron binary: the desktop entry starts the app by its full path.
ln -sfn '/opt/${sanitizedProductName}/resources/cli/bridgekeep' /usr/bin/bridgekeep

# Chromium's sandbox: user namespaces when the kernel allows them, else the SUID helper.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24+ allows unprivileged user namespaces only to profiled programs: install the app's
# AppArmor profile when this AppArmor understands it (a dry-run parse first).
if apparmor_status --enabled >/dev/null 2>&1; then
    profile_source='/opt/${sanitizedProductName}/resources/apparmor-profile'
    profile_target='/etc/apparmor.d/${executable}'
    if apparmor_parser --skip-kernel-load --debug "$profile_source" >/dev/null 2>&1; then
        cp -f "$profile_source" "$profile_target"
        if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
            apparmor_parser --replace --write-cache --skip-read-cache "$profile_target"
        fi
    else
        echo "Skipping the AppArmor profile: this AppArmor does not support it."
    fi
fi
