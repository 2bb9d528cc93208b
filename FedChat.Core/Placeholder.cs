namespace FedChat.Core;
