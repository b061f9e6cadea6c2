// Fills a city list when its state changes (Create user form). Works without this script too:
// the server renders the cities of the chosen state when the form comes back.
(function () {
    "use strict";
    document.querySelectorAll("select[data-cities-target]").forEach(function (stateSelect) {
        var citySelect = document.getElementById(stateSelect.getAttribute("data-cities-target"));
        if (!citySelect) {
            return;
        }
        stateSelect.addEventListener("change", function () {
            var state = stateSelect.value;
            citySelect.innerHTML = "";
            var placeholder = document.createElement("option");
            placeholder.value = "";
            placeholder.textContent = state ? "Loading cities…" : "Choose a state first";
            citySelect.appendChild(placeholder);
            if (!state) {
                return;
            }
            fetch("/api/v1/reference/states/" + encodeURIComponent(state) + "/cities", { credentials: "same-origin" })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error("HTTP " + response.status);
                    }
                    return response.json();
                })
                .then(function (cities) {
                    placeholder.textContent = "Choose…";
                    cities.forEach(function (city) {
                        var option = document.createElement("option");
                        option.value = city;
                        option.textContent = city;
                        citySelect.appendChild(option);
                    });
                })
                .catch(function () {
                    placeholder.textContent = "Could not load cities; submit the form to see them";
                });
        });
    });
})();

// Forms marked data-once disable their button on submit, so a double click sends one request
// (the server is safe against a second one anyway: each money form carries an idempotency key).
(function () {
    "use strict";
    document.querySelectorAll("form[data-once]").forEach(function (form) {
        form.addEventListener("submit", function () {
            form.querySelectorAll("button[type=submit]").forEach(function (button) {
                setTimeout(function () { button.disabled = true; }, 0);
            });
        });
    });
})();

// The error summary (one pattern on every form): it takes the focus when the page comes back refused, so that a
// screen reader reads it and the keyboard starts there; each of its links moves the focus to the field it names (the
// field whose aria-describedby lists the error paragraph the link points at).
(function () {
    "use strict";
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
        return;
    }
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
        link.addEventListener("click", function (event) {
            var errorId = link.getAttribute("href").slice(1);
            var field = Array.prototype.find.call(document.querySelectorAll("[aria-describedby]"), function (element) {
                return element.getAttribute("aria-describedby").split(/\s+/).indexOf(errorId) >= 0;
            });
            if (field) {
                event.preventDefault();
                field.focus();
                field.scrollIntoView({ block: "center" });
            }
        });
    });
})();

// The top bar on a narrow screen: the menu folds behind a Menu button (CSS shows the button only with script, so that
// without script the menu simply stays open).
(function () {
    "use strict";
    document.documentElement.classList.add("js");
    var toggle = document.querySelector(".menu-toggle");
    var bar = document.querySelector(".topbar");
    if (!toggle || !bar) {
        return;
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
        var open = bar.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    // The account menu (a details element, usable without script) closes on a click elsewhere or on Escape.
    var account = document.querySelector(".account-menu");
    document.addEventListener("click", function (event) {
        if (account && account.open && !account.contains(event.target)) {
            account.open = false;
        }
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && account && account.open) {
            account.open = false;
            account.querySelector("summary").focus();
            return;
        }
        if (event.key === "Escape" && bar.classList.contains("open")) {
            bar.classList.remove("open");
            toggle.setAttribute("aria-expanded", "false");
            toggle.focus();
        }
    });
})();

// Tables on a phone: each row becomes a card of "label: value" lines (CSS below 640 px), the labels taken from the
// column headings, so that no column (the amount!) hides off-screen. The table keeps its roles explicitly, since a
// restyled table can lose them in some browsers. Rows added later (the live balance adds lines) are labelled too.
// A table region that still scrolls sideways (a wide table on a desktop) becomes a keyboard stop with a name.
(function () {
    "use strict";
    function label(table) {
        var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
        table.querySelectorAll("tbody tr").forEach(function (row) {
            row.setAttribute("role", "row");
            Array.prototype.forEach.call(row.children, function (cell, index) {
                if (!cell.hasAttribute("data-label") && headings[index]) {
                    cell.setAttribute("data-label", headings[index]);
                }
                if (!cell.hasAttribute("role")) {
                    cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
                }
            });
        });
    }
    function reachable(wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
        if (scrolls && !wrap.hasAttribute("tabindex")) {
            var table = wrap.querySelector("table");
            var heading = table && (table.getAttribute("aria-label") || (table.caption && table.caption.textContent.trim()));
            wrap.setAttribute("tabindex", "0");
            wrap.setAttribute("role", "region");
            wrap.setAttribute("aria-label", (heading || "Table") + " (scrolls sideways)");
            wrap.setAttribute("data-made-reachable", "");
        } else if (!scrolls && wrap.hasAttribute("data-made-reachable")) {
            ["tabindex", "role", "aria-label", "data-made-reachable"].forEach(function (name) { wrap.removeAttribute(name); });
        }
    }
    var wraps = document.querySelectorAll(".table-wrap");
    wraps.forEach(function (wrap) {
        var table = wrap.querySelector("table");
        if (!table) {
            return;
        }
        table.classList.add("stack");
        table.setAttribute("role", "table");
        table.querySelectorAll("thead, tbody").forEach(function (group) { group.setAttribute("role", "rowgroup"); });
        table.querySelectorAll("thead tr").forEach(function (row) { row.setAttribute("role", "row"); });
        table.querySelectorAll("thead th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
        label(table);
        var body = table.querySelector("tbody");
        if (body && window.MutationObserver) {
            new MutationObserver(function () { label(table); }).observe(body, { childList: true });
        }
        reachable(wrap);
    });
    window.addEventListener("resize", function () { wraps.forEach(reachable); });
})();
