// Shows the environment (from the generated /site-config.json) and the API's health, both fetched
// from this site's own domain: the content security policy allows nothing else.
"use strict";

async function getJson(path, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(path, { signal: controller.signal, headers: { Accept: "application/json" } });
    return { ok: response.ok, status: response.status, body: response.ok ? await response.json().catch(() => null) : null };
  } finally {
    clearTimeout(timer);
  }
}

async function showEnvironment() {
  const target = document.getElementById("environment");
  try {
    const { body } = await getJson("/site-config.json", 5000);
    const environment = body && typeof body.environment === "string" ? body.environment : "unknown";
    target.textContent = environment;
    target.parentElement.dataset.environment = environment;
  } catch {
    target.textContent = "unknown";
  }
}

async function showApiStatus() {
  const status = document.getElementById("api-status");
  if (!status) return;
  const path = "/api/health";
  try {
    const { ok, status: code } = await getJson(path, 5000);
    status.dataset.state = ok ? "up" : "down";
    status.textContent = ok ? `API healthy (${path} answered ${code}).` : `API not reachable: ${path} answered ${code}.`;
  } catch (error) {
    status.dataset.state = "down";
    status.textContent = `API not reachable: ${path} did not answer (${error.name === "AbortError" ? "timed out" : "network error"}).`;
  }
}

showEnvironment();
showApiStatus();
