namespace Bank.Core.Demo;

/// <summary>
/// The words of the demo bank: Indian first names by gender (Bogus's <c>en_IND</c> first names carry no gender), how
/// people describe their money, employers, devices and networks. Last names, streets and mail domains come from Bogus.
/// </summary>
internal static class DemoCatalog
{
    public static readonly string[] MaleFirstNames =
    [
        "Aarav", "Abhishek", "Aditya", "Ajay", "Akash", "Amit", "Anand", "Anil", "Ankit", "Arjun", "Arun", "Ashok", "Ayaan",
        "Deepak", "Dev", "Dhruv", "Dinesh", "Gaurav", "Girish", "Gopal", "Harish", "Hemant", "Ishaan", "Jagdish", "Karan",
        "Kartik", "Kiran", "Krishna", "Kunal", "Lokesh", "Mahesh", "Manish", "Manoj", "Mohan", "Mohit", "Mukesh", "Nakul",
        "Naveen", "Nikhil", "Nitin", "Omkar", "Pankaj", "Pradeep", "Prakash", "Pranav", "Prasad", "Rahul", "Rajesh", "Rakesh",
        "Ramesh", "Ravi", "Rohan", "Rohit", "Sachin", "Sai", "Sameer", "Sandeep", "Sanjay", "Santosh", "Satish", "Shivam",
        "Shreyas", "Siddharth", "Sourav", "Subhash", "Sunil", "Suresh", "Tarun", "Tushar", "Uday", "Varun", "Venkatesh",
        "Vijay", "Vikram", "Vinay", "Vishal", "Vivek", "Yash", "Yogesh", "Zubin", "Imran", "Faisal", "Harpreet", "Gurpreet",
        "Joseph", "Thomas", "Anirban", "Sayan", "Arindam", "Bhaskar",
    ];

    public static readonly string[] FemaleFirstNames =
    [
        "Aadhya", "Aarti", "Aishwarya", "Ananya", "Anita", "Anjali", "Ankita", "Anushka", "Aparna", "Bhavana", "Deepa",
        "Deepika", "Divya", "Durga", "Gauri", "Geeta", "Harini", "Isha", "Jaya", "Jyoti", "Kavita", "Kavya", "Kirti",
        "Lakshmi", "Lata", "Madhuri", "Meena", "Meera", "Megha", "Mira", "Nandini", "Neha", "Nisha", "Pallavi", "Pooja",
        "Poonam", "Prachi", "Preeti", "Priya", "Priyanka", "Radha", "Rekha", "Ritu", "Sakshi", "Sangeeta", "Sanjana",
        "Sarita", "Seema", "Shalini", "Shreya", "Shruti", "Sneha", "Sonal", "Sunita", "Swati", "Tanvi", "Usha", "Vandana",
        "Vidya", "Yamini", "Zoya", "Fatima", "Ayesha", "Simran", "Harleen", "Mary", "Reshma", "Sushmita", "Rupali", "Tanya",
    ];

    public static readonly string[] NeutralFirstNames = ["Ashwin", "Kiran", "Shubham", "Jyoti", "Sagar", "Noor", "Ira", "Alex"];

    /// <summary>How an Indian street address ends (Bogus's en_IND streets end in US words such as "Ford").</summary>
    public static readonly string[] StreetKinds =
        ["Road", "Marg", "Nagar", "Colony", "Street", "Lane", "Layout", "Chowk", "Cross Road", "Main Road", "Society", "Enclave"];

    /// <summary>Approximate population (millions) of each state, so that people live where Indians live.</summary>
    public static readonly Dictionary<string, double> StatePopulation = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Uttar Pradesh"] = 240,
        ["Maharashtra"] = 125,
        ["Bihar"] = 125,
        ["West Bengal"] = 100,
        ["Madhya Pradesh"] = 85,
        ["Rajasthan"] = 80,
        ["Tamil Nadu"] = 77,
        ["Gujarat"] = 70,
        ["Karnataka"] = 67,
        ["Andhra Pradesh"] = 53,
        ["Odisha"] = 46,
        ["Telangana"] = 38,
        ["Jharkhand"] = 38,
        ["Kerala"] = 35,
        ["Assam"] = 35,
        ["Punjab"] = 30,
        ["Chhattisgarh"] = 29,
        ["Haryana"] = 29,
        ["Delhi"] = 20,
        ["Jammu and Kashmir"] = 13,
        ["Uttarakhand"] = 11,
        ["Himachal Pradesh"] = 7.5,
        ["Tripura"] = 4,
        ["Meghalaya"] = 3.3,
        ["Manipur"] = 3.2,
        ["Nagaland"] = 2.2,
        ["Goa"] = 1.6,
        ["Puducherry"] = 1.6,
        ["Arunachal Pradesh"] = 1.5,
        ["Mizoram"] = 1.2,
        ["Chandigarh"] = 1.2,
        ["Sikkim"] = 0.7,
        ["Dadra and Nagar Haveli and Daman and Diu"] = 0.6,
        ["Andaman and Nicobar Islands"] = 0.4,
        ["Ladakh"] = 0.3,
        ["Lakshadweep"] = 0.07,
    };

    public static readonly string[] Employers =
    [
        "Infosys Ltd", "Tata Consultancy Services", "Wipro Ltd", "HCL Technologies", "Tech Mahindra", "Larsen & Toubro",
        "Reliance Retail", "Tata Motors", "Mahindra & Mahindra", "Bharti Airtel", "Asian Paints", "Sun Pharma",
        "Dr Reddy's Laboratories", "Maruti Suzuki", "Hindustan Unilever", "ITC Ltd", "Indian Railways", "State Government",
        "Apollo Hospitals", "Zomato Ltd", "Flipkart Internet", "Bajaj Auto", "Godrej Consumer Products", "Kendriya Vidyalaya",
    ];

    public static readonly string[] DepositNotes =
    [
        "Cash deposit", "Cash deposit at branch", "Cheque deposit", "Freelance payment", "Refund from Flipkart",
        "Refund from Amazon", "Rent received", "Interest on FD", "Gift from family", "Diwali bonus", "Sold old bike",
        "Tuition fees received", "Consulting fee", "Insurance claim", "Dividend", "Shop sales",
    ];

    public static readonly string[] WithdrawalNotes =
    [
        "ATM withdrawal", "Cash withdrawal", "Cash withdrawal at branch", "Groceries", "Electricity bill", "Mobile recharge",
        "Broadband bill", "School fees", "Medical expenses", "Petrol", "Credit card bill", "LIC premium", "SIP mutual fund",
        "Home loan EMI", "Car loan EMI", "DTH recharge", "Gas cylinder", "Train tickets", "Movie tickets", "Pharmacy",
    ];

    public static readonly string[] TransferNotes =
    [
        "Rent for {0}", "Maintenance for {0}", "Split dinner", "Loan repayment", "For groceries", "Birthday gift",
        "Wedding gift", "Share of trip expenses", "Money for home", "Tuition fees", "Return of loan", "Festival gift",
        "Household expenses", "Pocket money", "Share of EMI", "Medical help",
    ];

    /// <summary>Large payments out of an account that has filled up.</summary>
    public static readonly string[] BigPayments =
        ["Credit card bill", "Home loan EMI", "SIP mutual fund", "Fixed deposit booking", "Insurance premium", "Gold purchase", "Car loan EMI"];

    /// <summary>Large transfers to family and landlords ({0}: the month's name).</summary>
    public static readonly string[] BigTransfers = ["Rent for {0}", "Money for home", "Share of EMI", "Household expenses for {0}", "Sister's wedding"];

    /// <summary>Browsers that sign in on the web pages.</summary>
    public static readonly string[] Browsers =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 15; moto g85 5G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; RMX3741) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; V2207) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
    ];

    /// <summary>How many of <see cref="ApiClients"/> (the first ones) are the bank's mobile app; the rest are people's own tools.</summary>
    public const int MobileApps = 6;

    /// <summary>Clients that sign in to the API: the bank's mobile app, and a few people's own scripts.</summary>
    public static readonly string[] ApiClients =
    [
        "BankMobile/4.2.0 (Android 14; SM-A546E)", "BankMobile/4.2.0 (Android 15; Pixel 8a)", "BankMobile/4.2.0 (iOS 18.6; iPhone15,4)",
        "BankMobile/4.1.3 (Android 13; RMX3741)", "BankMobile/4.2.0 (Android 14; CPH2591)", "BankMobile/4.2.0 (iOS 17.7; iPhone13,2)",
        "okhttp/4.12.0", "python-requests/2.32.3", "PostmanRuntime/7.44.1", "curl/8.14.1",
    ];

    /// <summary>What the branch's desktops run.</summary>
    public static readonly string StaffBrowser = Browsers[0];

    /// <summary>Home broadband networks (first two octets): Jio Fiber, Airtel Xstream, ACT, Hathway, BSNL.</summary>
    public static readonly (int A, int B)[] BroadbandNetworks =
        [(49, 36), (49, 37), (49, 43), (122, 171), (122, 172), (182, 69), (106, 51), (49, 207), (119, 82), (117, 200), (59, 92)];

    /// <summary>Mobile networks (first two octets): Jio, Airtel, Vi, BSNL.</summary>
    public static readonly (int A, int B)[] MobileNetworks =
        [(157, 32), (157, 34), (157, 47), (106, 195), (106, 206), (223, 181), (223, 187), (27, 57), (27, 61), (42, 106), (117, 230)];

    /// <summary>Addresses the sign-in page sees from strangers and mistyped IDs, some from abroad.</summary>
    public static readonly (int A, int B)[] OtherNetworks = [(45, 95), (185, 220), (103, 77), (152, 58), (91, 132)];

    /// <summary>The branch's office network (its public addresses).</summary>
    public const string OfficeNetwork = "103.21.58.";
}
