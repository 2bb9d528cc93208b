// A bot that posts to a FedChat server through its JSON API (Exercise 2 in workshop-guide.md).
//
//   dotnet run --project workshop/FedChat.Bot -- http://localhost:5080 alice "correct horse" "Hello from a bot"
//
// README.md, "The JSON API", shows the two requests it needs: POST /api/token, then POST /api/posts.

if (args.Length != 4)
{
    Console.Error.WriteLine("Usage: dotnet run --project workshop/FedChat.Bot -- SERVER_URL USERNAME PASSWORD \"TEXT\"");
    return 2;
}

var server = new Uri(args[0]);
var username = args[1];
var password = args[2];
var text = args[3];

// TODO (Exercise 2): trade the username and password for a token, then post the text with it.
Console.WriteLine($"The bot would post \"{text}\" as {username} on {server}, but it cannot post yet: see Exercise 2 in workshop-guide.md.");
_ = password;
return 1;
