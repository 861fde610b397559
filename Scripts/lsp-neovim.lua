-- Drives `modelc lsp` from Neovim 0.7 (headless) as an editor would: opens a spec with a mistake,
-- waits for the diagnostics, asks for hover, completion, inlay hints and a code action, prints each
-- and exits 1 if an expected answer is missing. Run by Scripts/lsp-neovim.sh.
local modelc = os.getenv("MODELC") or ".build/debug/modelc"
local spec = os.getenv("SPEC")
local failures = 0
local function check(ok, what)
  print((ok and "ok   " or "FAIL ") .. what)
  if not ok then failures = failures + 1 end
end

local diagnostics = nil
local client_id = vim.lsp.start_client({
  name = "modelc",
  cmd = { modelc, "lsp" },
  root_dir = vim.fn.getcwd(),
  handlers = {
    ["textDocument/publishDiagnostics"] = function(_, result)
      if result and #result.diagnostics > 0 then diagnostics = result.diagnostics end
    end,
  },
})
check(client_id ~= nil, "started modelc lsp")
vim.cmd("edit " .. spec)
local buffer = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buffer, client_id)
local client = vim.lsp.get_client_by_id(client_id)
vim.wait(10000, function() return diagnostics ~= nil end, 20)
check(diagnostics ~= nil, "diagnostics arrived")
if diagnostics then
  local first = diagnostics[1]
  print("  diagnostic: [" .. tostring(first.code) .. "] line " .. first.range.start.line .. ": " .. first.message)
  check(first.code == "MC0401" and first.message:find("return_sequences", 1, true) ~= nil, "MC0401 on the second LSTM")
end

local function request(method, params)
  local response = client.request_sync(method, params, 10000, buffer)
  return response and response.result
end
local document = { uri = vim.uri_from_bufnr(buffer) }

local hover = request("textDocument/hover", { textDocument = document, position = { line = 3, character = 5 } })
local hover_text = hover and hover.contents and hover.contents.value or ""
print("  hover: " .. hover_text:gsub("\n", " "))
check(hover_text:find("(None, 8)", 1, true) ~= nil, "hover shows the LSTM's output shape")

local completion = request("textDocument/completion", { textDocument = document, position = { line = 6, character = 4 } })
local labels = {}
for _, item in ipairs(completion and completion.items or {}) do labels[item.label] = true end
print("  completion: " .. (labels["LSTM"] and "LSTM" or "-") .. ", " .. (labels["Bidirectional"] and "Bidirectional" or "-") .. " ...")
check(labels["LSTM"] and labels["Bidirectional"], "completion offers layer classes")

local hints = request("textDocument/inlayHint", { textDocument = document,
  range = { start = { line = 0, character = 0 }, ["end"] = { line = 100, character = 0 } } }) or {}
for _, hint in ipairs(hints) do print("  inlay hint line " .. hint.position.line .. ":" .. hint.label) end
check(#hints >= 2 and hints[1].label:find("(None, 10, 16)", 1, true) ~= nil, "inlay hints show shapes and parameters")

local actions = request("textDocument/codeAction", { textDocument = document,
  range = { start = { line = 4, character = 4 }, ["end"] = { line = 4, character = 4 } },
  context = { diagnostics = diagnostics or {} } }) or {}
local title = actions[1] and actions[1].title or ""
print("  code action: " .. title)
check(title == "set return_sequences: true on lstm", "code action fixes the previous layer")
if actions[1] then
  vim.lsp.util.apply_workspace_edit(actions[1].edit, "utf-16")
  local line = vim.api.nvim_buf_get_lines(buffer, 3, 4, false)[1]
  print("  after the fix: " .. line)
  check(line == "  - LSTM 8 return_sequences", "the edit applies in the buffer")
end

client.stop()
if failures > 0 then
  print(failures .. " check(s) failed")
  vim.cmd("cquit 1")
else
  print("all Neovim LSP checks passed")
  vim.cmd("qall!")
end
