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
