#!/usr/bin/env bash
# `npm run system-deps` (and the first step of `npm test`): the Debian packages the tests need.
#   chromium, firefox-esr                          browser tests (driven by puppeteer-core)
#   webkit2gtk-driver, xvfb, xauth                 browser tests in WebKitGTK's MiniBrowser (WebDriver,
#                                                  on a virtual display: xvfb-run needs xauth)
#   kamailio + websocket and tls modules           the SIP server of the interop tests (WS, WSS)
#   kamailio-presence-modules                      its presence server (busy lamps, presence, voicemail)
#   sip-tester (sipp)                              signalling peers on UDP
#   rtpengine-daemon, baresip-core                 media relay and plain SIP phone (plain-phone tests)
#   openssl                                        throwaway certificates for WSS and TURNS
#   coturn                                         the STUN/TURN relay of the relay tests and bench
# Prints one line when everything is there. Otherwise, as root, installs what is missing (one
# apt-get update, then apt-get install); not as root, names the packages and fails.
# CHROMIUM_PATH, FIREFOX_PATH, MINIBROWSER_PATH, WEBKIT_DRIVER_PATH and KAMAILIO_PATH point at other
# binaries; BROWSERS=chromium (as for the test runner) leaves Firefox and WebKit out.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
FIREFOX="${FIREFOX_PATH:-/usr/lib/firefox-esr/firefox-esr}"
KAMAILIO="${KAMAILIO_PATH:-/usr/sbin/kamailio}"
COTURN="${COTURN_PATH:-/usr/bin/turnserver}"
WEBKIT_DRIVER="${WEBKIT_DRIVER_PATH:-/usr/bin/WebKitWebDriver}"
BROWSERS="${BROWSERS:-chromium,firefox,webkit}"

# Kamailio's modules live under the multiarch directory (/usr/lib/x86_64-linux-gnu/kamailio/modules
# on amd64); any architecture will do.
has_kamailio_module() {
  compgen -G "/usr/lib/*/kamailio/modules/$1.so" >/dev/null || compgen -G "/usr/lib/kamailio/modules/$1.so" >/dev/null
}

wants_browser() { [[ ",$BROWSERS," == *",$1,"* ]]; }

# MiniBrowser comes with libwebkit2gtk-4.1-0, which webkit2gtk-driver depends on.
has_minibrowser() {
  if [[ -n "${MINIBROWSER_PATH:-}" ]]; then test -x "$MINIBROWSER_PATH"; else compgen -G "/usr/lib/*/webkit2gtk-4.1/MiniBrowser" >/dev/null; fi
}

check() { # check <package> <test...>: adds the package to $missing when the test fails
  local package="$1"
  shift
  "$@" || missing+=("$package")
}

find_missing() {
  missing=()
  if wants_browser chromium; then check chromium test -x "$CHROMIUM"; fi
  if wants_browser firefox; then check firefox-esr test -x "$FIREFOX"; fi
  if wants_browser webkit; then
    check webkit2gtk-driver test -x "$WEBKIT_DRIVER"
    check libwebkit2gtk-4.1-0 has_minibrowser
    check xvfb command -v xvfb-run >/dev/null
    check xauth command -v xauth >/dev/null
  fi
  check kamailio test -x "$KAMAILIO"
  check kamailio-websocket-modules has_kamailio_module websocket
  check kamailio-tls-modules has_kamailio_module tls
  check kamailio-presence-modules has_kamailio_module presence
  check sip-tester command -v sipp >/dev/null
  check kamailio has_kamailio_module rtpengine
  # The two-node cluster of kamailio.cfg WITH_CLUSTER (test/browser/cluster-kamailio.test.ts).
  check kamailio has_kamailio_module dmq
  check kamailio has_kamailio_module dmq_usrloc
  check kamailio has_kamailio_module path
  check rtpengine-daemon test -x "${RTPENGINE_PATH:-/usr/bin/rtpengine}"
  check baresip-core test -x "${BARESIP_PATH:-/usr/bin/baresip}"
  check openssl command -v openssl >/dev/null
  check coturn test -x "$COTURN"
}

find_missing
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system deps: all present (browsers: $BROWSERS; kamailio with websocket, tls and presence modules; sipp; rtpengine; baresip; openssl; coturn)"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

installing_kamailio=false
[[ " ${missing[*]} " == *" kamailio "* ]] && installing_kamailio=true

# Debian starts a package's service on install (Kamailio's listens on port 5060 on every
# interface). A policy-rc.d that answers 101 ("action forbidden") stops that for this install.
created_policy=false
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=true
fi
cleanup() { if $created_policy; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

if $installing_kamailio; then
  # Belt and braces: with systemd running, keep the service from starting now or at boot; without
  # it, stop a Kamailio the init script may have started anyway. The tests run their own.
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now kamailio.service >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/kamailio ]] && [[ -s /run/kamailio/kamailio.pid ]]; then
    /etc/init.d/kamailio stop >/dev/null 2>&1 || true
  fi
fi

if [[ " ${missing[*]} " == *" rtpengine-daemon "* ]] && [[ -d /run/systemd/system ]]; then
  # Its service would hold the default ng port at boot; the tests start their own on free ports.
  systemctl disable --now rtpengine-daemon.service >/dev/null 2>&1 || true
fi

# Check again: a package that installed but did not provide what the tests use is an error here,
# not a mystery later.
find_missing
if [[ ${#missing[@]} -ne 0 ]]; then
  echo "Still missing after install: ${missing[*]}" >&2
  exit 1
fi
echo "system deps: installed"
