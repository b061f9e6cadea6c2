// Live balance on the customer's account page: a SignalR connection (authorized by the session cookie)
// receives "balanceChanged" after any movement on the account, including an incoming transfer,
// and updates the balance and the latest-transactions table without a reload.
(function () {
    "use strict";
    var panel = document.getElementById("live-balance");
    if (!panel || !window.signalR) {
        return;
    }
    var zone = panel.getAttribute("data-time-zone") || "Asia/Kolkata";
    var rupees = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR", minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var when = new Intl.DateTimeFormat("en-IN", { timeZone: zone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var balance = document.getElementById("balance");
    var status = document.getElementById("live-status");
    var table = document.getElementById("recent");
    var limit = 10;

    // What the line was, in the words of the server's table (TransactionTable.Describe): a transfer names the other party.
    function kind(line) {
        if (line.type === "credit") { return "Deposit"; }
        if (line.type === "debit") { return "Withdrawal"; }
        if (line.counterpartyName) {
            return (line.direction === "in" ? "Transfer from " : "Transfer to ") + line.counterpartyName;
        }
        return line.direction === "in" ? "Transfer in" : "Transfer out";
    }

    function cell(row, text, className) {
        var td = document.createElement("td");
        td.textContent = text;
        if (className) { td.className = className; }
        row.appendChild(td);
        return td;
    }

    // Adds the movement's line unless it is shown already; says whether the movement is new to this page.
    function addLine(line) {
        if (!table) {
            return true;
        }
        if (table.querySelector("[data-txn='" + line.transactionId + "']")) {
            return false;
        }
        var row = document.createElement("tr");
        row.setAttribute("data-txn", line.transactionId);
        row.className = "fresh";
        cell(row, when.format(new Date(line.createdAt)).replace(/,? (\d\d:\d\d)/, ", $1") + (zone === "Asia/Kolkata" ? " IST" : ""));
        var id = cell(row, "");
        var code = document.createElement("code");
        code.textContent = line.transactionId;
        id.appendChild(code);
        cell(row, kind(line));
        cell(row, line.counterpartyAccountNumber || "—");
        cell(row, line.narration || "");
        var incoming = line.direction === "in";
        cell(row, (incoming ? "+" : "−") + rupees.format(line.amount), "num amount " + (incoming ? "money-in" : "money-out"));
        cell(row, rupees.format(line.balanceAfter), "num");
        var body = table.tBodies[0];
        body.insertBefore(row, body.firstChild);
        while (body.rows.length > limit) {
            body.deleteRow(body.rows.length - 1);
        }
        var wrap = table.closest(".table-wrap");
        if (wrap) { wrap.hidden = false; }
        var empty = document.getElementById("recent-empty");
        if (empty) { empty.remove(); }
        return true;
    }

    var connection = new signalR.HubConnectionBuilder()
        .withUrl(panel.getAttribute("data-hub"))
        .withAutomaticReconnect()
        .build();
    var monthCount = document.getElementById("month-count");
    connection.on("balanceChanged", function (update) {
        balance.textContent = rupees.format(update.balance);
        balance.classList.remove("flash");
        void balance.offsetWidth;
        balance.classList.add("flash");
        // Every movement new to this page is one more line of this month's.
        if (addLine(update.line) && monthCount) {
            monthCount.textContent = new Intl.NumberFormat("en-IN").format(parseInt(monthCount.textContent.replace(/[^0-9]/g, ""), 10) + 1);
        }
    });
    connection.onreconnecting(function () { status.textContent = "Reconnecting… the balance may be out of date."; });
    connection.onreconnected(function () { status.textContent = "Live again. Reload to be sure you see every change."; });
    connection.onclose(function () { status.textContent = "Live updates stopped; reload the page to see the latest balance."; });
    connection.start()
        .then(function () { panel.setAttribute("data-live", "connected"); status.textContent = "Live: updates here as soon as money moves."; })
        .catch(function () { status.textContent = "Live updates are unavailable; reload the page to see the latest balance."; });
})();
